"""One small district for the authorization matrix: every role, and for each kind of object
one the role's "own" and one somebody else's."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from devices.models import Asset, AssetImport, Loan, MaintenancePlan, MaintenanceTask
from notifications.models import InboundEmail
from people.models import RosterImport
from schools.models import CalendarFeed, Closure, DistrictCalendar, Rotation, Visit
from surveys import services as survey_services
from surveys.models import Goal
from tests import factories
from tickets import attachments, family, services
from tickets.kb import services as kb_services
from tickets.models import Article, SavedReply, SavedView, SlaTarget, Vendor, VendorCase

ANONYMOUS = "anonymous"
REQUESTER = "requester"
OTHER_REQUESTER = "other requester"
CAMPUS_CONTACT = "campus contact"
TECHNICIAN = "technician"
DIRECTOR = "director"
STAFF_FLAG_ONLY = "is_staff without a group"
ROLES = [ANONYMOUS, REQUESTER, OTHER_REQUESTER, CAMPUS_CONTACT, TECHNICIAN, DIRECTOR, STAFF_FLAG_ONLY]
OWN, OTHERS = "own", "other's"

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@dataclass
class World:
    users: dict[str, Any]
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)

    def obj(self, kind: str, which: str) -> Any:
        return self.objects[kind][which]


def build_world() -> World:
    school = factories.SchoolFactory()
    elsewhere = factories.SchoolFactory()
    category = factories.CategoryFactory()
    teacher = factories.UserFactory(profile__school=school)
    other_teacher = factories.UserFactory(profile__school=school)
    contact = factories.UserFactory(profile__school=school)
    school.campus_contact = contact
    school.save(update_fields=["campus_contact"])
    outsider = factories.UserFactory(profile__school=elsewhere)
    technician = factories.TechnicianFactory()
    director = factories.DirectorFactory()
    # Django's is_staff flag opens the admin door but grants no help desk powers.
    flag_only = factories.UserFactory(profile__school=elsewhere, is_staff=True)
    users = {
        REQUESTER: teacher,
        OTHER_REQUESTER: other_teacher,
        CAMPUS_CONTACT: contact,
        TECHNICIAN: technician,
        DIRECTOR: director,
        STAFF_FLAG_ONLY: flag_only,
    }
    world = World(users=users)

    own = factories.TicketFactory(requester=teacher, category=category, title="Own projector")
    others = factories.TicketFactory(requester=outsider, category=category, title="Outside printer")
    world.objects["ticket"] = {OWN: own, OTHERS: others}
    world.objects["comment"] = {
        OWN: services.add_comment(actor=teacher, ticket=own, body="More details"),
        OTHERS: services.add_comment(actor=technician, ticket=own, body="Internal note", internal=True),
    }
    att_own = attachments.add_attachments(actor=teacher, ticket=own, uploads=[SimpleUploadedFile("own.png", PNG)])[0]
    att_internal = attachments.add_attachments(
        actor=technician,
        ticket=own,
        uploads=[SimpleUploadedFile("internal.png", PNG)],
        comment=world.objects["comment"][OTHERS],
    )[0]
    att_others = attachments.add_attachments(
        actor=outsider, ticket=others, uploads=[SimpleUploadedFile("outside.png", PNG)]
    )[0]
    world.objects["attachment"] = {OWN: att_own, OTHERS: att_others, "internal": att_internal}

    # Closed tickets with survey answers: one of each requester's.
    closed = {}
    for which, requester in ((OWN, teacher), (OTHERS, outsider)):
        ticket = factories.TicketFactory(requester=requester, category=category, title=f"Closed {which}")
        services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
        services.resolve_ticket(actor=technician, ticket=ticket, resolution="Fixed")
        ticket = services.close_ticket(actor=requester, ticket=ticket)
        invitation = ticket.survey_invitation
        response = survey_services.record_answer(
            invitation=invitation, user=requester, timeliness=1, quality=1, comment="Slow"
        )
        closed[which] = (ticket, invitation, response)
    world.objects["invitation"] = {which: closed[which][1] for which in closed}
    world.objects["response"] = {which: closed[which][2] for which in closed}

    today = timezone.localdate()
    rotation = Rotation.objects.create(
        technician=technician, school=school, weekdays=[1, 2, 3, 4, 5], start_date=today - timedelta(days=7)
    )
    visit = Visit.objects.create(technician=technician, school=school, rotation=rotation, date=today)
    closure = Closure.objects.create(name="Snow day", start_date=date(2031, 1, 6), end_date=date(2031, 1, 6))
    feed = CalendarFeed.objects.create(user=technician)
    world.objects["rotation"] = {OWN: rotation, OTHERS: rotation}
    world.objects["visit"] = {OWN: visit, OTHERS: visit}
    world.objects["closure"] = {OWN: closure, OTHERS: closure}
    world.objects["feed"] = {OWN: feed, OTHERS: feed}
    world.objects["school"] = {OWN: school, OTHERS: elsewhere}
    world.objects["queue"] = {OWN: school.queue, OTHERS: elsewhere.queue}
    world.objects["category"] = {OWN: category, OTHERS: category}
    world.objects["sla_target"] = {OWN: SlaTarget.objects.first(), OTHERS: SlaTarget.objects.first()}
    world.objects["calendar"] = {OWN: DistrictCalendar.objects.first(), OTHERS: DistrictCalendar.objects.first()}
    everyone = kb_services.create_article(actor=technician, title="Reconnect Wi-Fi", body="Open settings.")
    staff_only = kb_services.create_article(
        actor=technician, title="Service menu", body="Secret codes.", audience=Article.Audience.STAFF
    )
    world.objects["article"] = {OWN: everyone, OTHERS: staff_only}
    vendor = Vendor.objects.create(name="Acme Repair", turnaround_days=5)
    case = VendorCase.objects.create(ticket=others, vendor=vendor, case_number="RMA-1", created_by=technician)
    world.objects["vendor_case"] = {OWN: case, OTHERS: case}
    inbound = InboundEmail.objects.create(
        message_id="<look@world>", outcome="needs_look", sender="x@elsewhere.example", reason="no sender", raw=b"x"
    )
    world.objects["inbound"] = {OWN: inbound, OTHERS: inbound}
    goal = Goal.objects.create(
        school_year="2026-2027", start_date=date(2026, 8, 1), end_date=date(2027, 7, 31), quality_satisfaction_pct=97
    )
    world.objects["goal"] = {OWN: goal, OTHERS: goal}
    world.objects["person"] = {OWN: teacher, OTHERS: outsider}
    asset = factories.AssetFactory(school=school, assigned_to=teacher)
    loaner = factories.AssetFactory(school=school, status=Asset.Status.LOANER)
    loan = Loan.objects.create(
        loaner=loaner, borrower=teacher, for_asset=asset, due_back=today + timedelta(days=7), checked_out_by=technician
    )
    plan = MaintenancePlan.objects.create(title="Clean filters", school=school, starts_on=today)
    task = MaintenanceTask.objects.create(plan=plan, school=school, visit=visit, due_on=today)
    world.objects["asset"] = {OWN: asset, OTHERS: asset}
    world.objects["loan"] = {OWN: loan, OTHERS: loan}
    world.objects["maintenance_plan"] = {OWN: plan, OTHERS: plan}
    world.objects["maintenance_task"] = {OWN: task, OTHERS: task}
    # "own" a shared saved reply (the director's), "other's" the technician's private one.
    shared_reply = SavedReply.objects.create(title="Lamp", body="Hi {first_name}", shared=True, owner=director)
    private_reply = SavedReply.objects.create(title="Mine", body="Thanks", owner=technician)
    world.objects["saved_reply"] = {OWN: shared_reply, OTHERS: private_reply}
    # The same for the queue's saved views: the director's shared one, the technician's private one.
    shared_view = SavedView.objects.create(name="Team", query="open=true", shared=True, owner=director)
    private_view = SavedView.objects.create(name="Mine", query="mine=true", owner=technician)
    world.objects["saved_view"] = {OWN: shared_view, OTHERS: private_view}
    # An import previewed by the director, and one previewed by another director.
    text = "tag,kind\nOKC-MATRIX,laptop\n"
    mine = AssetImport.objects.create(filename="mine.csv", text=text, uploaded_by=director)
    theirs = AssetImport.objects.create(filename="theirs.csv", text=text, uploaded_by=factories.DirectorFactory())
    world.objects["asset_import"] = {OWN: mine, OTHERS: theirs}
    # A roster import previewed by the director, and one by another director.
    bundle = b"email,first_name,last_name,role,school\n"
    mine_roster = RosterImport.objects.create(filename="people.csv", checksum="x", data=bundle, uploaded_by=director)
    theirs_roster = RosterImport.objects.create(
        filename="people.csv", checksum="x", data=bundle, uploaded_by=factories.DirectorFactory()
    )
    world.objects["roster_import"] = {OWN: mine_roster, OTHERS: theirs_roster}
    # A family's device report: the link (its token) is the only key to it.
    report = family.report_device_problem(identifier=asset.tag, description="Black screen.", email="mom@example.com")
    world.objects["family_report"] = {OWN: report, OTHERS: report}
    return world
