"""The accessibility sweep's world: one school with every page's data, and signing in as its people."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from devices import services as device_services
from devices.models import Asset
from notifications.models import InboundEmail
from people.models import RosterImport
from schools import services as school_services
from schools.models import Visit
from surveys import services as survey_services
from tests import factories
from tickets import family, followers, merge, services
from tickets.kb import services as kb_services
from tickets.models import SavedReply, SavedView, Ticket

PASSWORD = "correct-horse-battery"


# --- the world every page needs --------------------------------------------------------------


@dataclass
class World:
    school: Any
    teacher: Any
    technician: Any
    director: Any
    open_ticket: Ticket
    resolved_ticket: Ticket
    survey_token: str
    answered_token: str
    article: Any
    rotation: Any
    extra: dict[str, Any] = field(default_factory=dict)


def seed_world() -> World:
    """One school with a rotation and a visit today, a teacher's tickets in every state a
    requester meets, a survey to answer and one answered badly (so follow-up has a row),
    and a self-help article."""
    today = timezone.localdate()
    school = factories.SchoolFactory(name="Jefferson Elementary", code="JEF")
    category = factories.CategoryFactory(name="Projector or display", slug="projector")
    factories.CategoryFactory(
        name="Home internet", slug="home-internet", in_scope=False, guidance="Call your provider."
    )
    teacher = factories.UserFactory(username="ana", first_name="Ana", last_name="Ruiz", profile__school=school)
    technician = factories.TechnicianFactory(username="sam", first_name="Sam", last_name="Lee")
    director = factories.DirectorFactory(username="dana", first_name="Dana", last_name="Park")
    rotation = school_services.create_rotation(
        actor=director, technician=technician, school=school, weekdays=[1, 3], start_date=today, today=today
    )
    visit, _ = Visit.objects.get_or_create(technician=technician, school=school, date=today)

    laptop = device_services.save_asset(
        actor=technician,
        changes={
            "tag": "OKC-00042",
            "kind": "laptop",
            "model": "Latitude 3440",
            "school": school,
            "assigned_to": teacher,
            "warranty_end": today + timedelta(days=40),
        },
    )
    loaner = factories.AssetFactory(tag="LOAN-1", school=school, status=Asset.Status.LOANER)
    device_services.check_out_loaner(
        actor=technician, loaner=loaner, borrower=teacher, for_asset=laptop, due_back=today + timedelta(days=7)
    )
    factories.AssetFactory(tag="LOAN-2", school=school, status=Asset.Status.LOANER)
    device_services.save_plan(
        actor=director,
        changes={"title": "Clean projector filters", "checklist": "Open the cover\nVacuum", "starts_on": today},
        today=today,
    )
    open_ticket = factories.TicketFactory(
        requester=teacher,
        category=category,
        title="Projector in room 12 won't turn on",
        impact="high",
        urgency="high",
        asset_tag="OKC-00042",
    )
    services.assign_ticket(actor=technician, ticket=open_ticket, assignee=technician)
    services.add_comment(actor=technician, ticket=open_ticket, body="I'll bring a new lamp at 10.")
    services.add_comment(actor=technician, ticket=open_ticket, body="Lamp part number 44-A.", internal=True)
    Ticket.objects.filter(pk=open_ticket.pk).update(service_mode=Ticket.ServiceMode.ON_SITE, visit=visit)
    remote = factories.TicketFactory(requester=teacher, category=category, title="Printer offline", impact="low")
    services.assign_ticket(actor=technician, ticket=remote, assignee=technician)

    resolved_ticket = factories.TicketFactory(requester=teacher, category=category, title="Document camera is blurry")
    services.assign_ticket(actor=technician, ticket=resolved_ticket, assignee=technician)
    services.resolve_ticket(
        actor=technician,
        ticket=resolved_ticket,
        resolution="Cleaned the lens.",
        self_help="Wipe the lens with the cloth in the drawer.",
    )

    def closed(title: str) -> Ticket:
        ticket = factories.TicketFactory(requester=teacher, category=category, title=title)
        services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
        services.resolve_ticket(actor=technician, ticket=ticket, resolution="Reset it.", self_help="Hold power 10 s.")
        return services.close_ticket(actor=teacher, ticket=ticket)

    to_answer = closed("Laptop won't charge")
    answered = closed("Wi-Fi drops in room 4")
    survey_services.record_answer(
        invitation=answered.survey_invitation, user=teacher, timeliness=2, quality=1, comment="Took a week."
    )
    article = kb_services.create_article(
        actor=technician,
        title="Projector shows no picture",
        body="Press the **Input** button until *HDMI 1* shows.",
        category=category,
    )
    waiting = family.report_device_problem(identifier="OKC-00042", description="Black screen.", email="mom@example.com")
    followed = family.report_device_problem(identifier="OKC-00042", description="No sound.", email="dad@example.com")
    family_ticket = family.confirm_report(report=followed)
    services.add_comment(actor=technician, ticket=family_ticket, body="Please bring it to the office.")
    # Email that needs a look: one staff can try again, one too large to keep.
    InboundEmail.objects.create(
        message_id="<a@x>", outcome="needs_look", sender="ana@district.example", subject="Printer", reason="no school"
    )
    InboundEmail.objects.create(
        message_id="<b@x>",
        outcome="needs_look",
        sender="ana@district.example",
        subject="Photos",
        reason="too large",
    )
    InboundEmail.objects.filter(message_id="<a@x>").update(raw=b"From: ana@district.example")
    roster = RosterImport.objects.create(
        source=RosterImport.Source.SCHEDULED, status=RosterImport.Status.APPLIED, filename="/srv/roster.zip",
        checksum="0" * 64, new_people=12, changed_people=3, deactivated=1, total=16, done=16,
        finished_at=timezone.now(),
    )  # fmt: skip
    # The workbench's ticket page: a duplicate merged in, a follower, a saved reply to insert.
    duplicate = factories.TicketFactory(requester=teacher, category=category, title="Projector room 12 again")
    merge.merge_ticket(actor=technician, source=duplicate, target_id=open_ticket.pk)
    followers.add_follower(actor=technician, ticket=open_ticket, follower=director)
    SavedReply.objects.create(title="On my way", body="Hi {first_name}, I come {next_visit}.", owner=technician)
    SavedView.objects.create(owner=technician, name="Projectors", query="open=true&search=projector")
    return World(
        extra={
            "family_waiting": waiting.token,
            "family_followed": followed.token,
            "roster_import": roster.pk,
            "merged": duplicate.pk,
        },
        school=school,
        teacher=teacher,
        technician=technician,
        director=director,
        open_ticket=open_ticket,
        resolved_ticket=resolved_ticket,
        survey_token=to_answer.survey_invitation.token,
        answered_token=answered.survey_invitation.token,
        article=article,
        rotation=rotation,
    )


def sign_in(page: Any, user: Any) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, "sign-in failed"
