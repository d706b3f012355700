"""Students and families report a problem with a school device, without an account.

1. `report_device_problem` records the report (PostgreSQL first) and queues, through the
   outbox, an email to the address given with one link. Nothing is filed yet, so a
   flood of made-up reports never reaches a queue.
2. The link's page asks to confirm (a POST: mail scanners follow links, and a GET never
   files anything); `confirm_report` files the ticket once, however often it is confirmed.
3. The same link then follows the request: its status in plain words and the public replies.

The ticket's requester is the school's "family reporter": one inactive system account per
school (`family-reporter-<school id>`, no email, no password, so nobody signs in as it and
no email goes to it), whose profile names the school, so the ticket is filed through
`services.create_ticket` like any other and lands in the device's school queue. The
reporter's address is in the ticket's description, for the technician to write to.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from devices.models import Asset
from notifications import outbox
from schools.models import Profile, School
from tickets import services
from tickets.errors import DomainError
from tickets.family_mail import hash_token, link_for, token_for
from tickets.models import Category, Comment, FamilyReport, Impact, Ticket, Urgency

CONFIRM_WITHIN = timedelta(days=7)
FAMILY_CATEGORY = "device"  # the category slug family reports are filed under (HELPDESK_FAMILY_CATEGORY)
SUPPORTED = Q(owner=Asset.Owner.DISTRICT) & ~Q(status__in=[Asset.Status.RETIRED, Asset.Status.LOST])


def find_device(identifier: str) -> Asset | None:
    """A district device by its tag or its serial number, any case; None when there is none."""
    identifier = identifier.strip()
    if not identifier:
        return None
    found = Asset.objects.filter(Q(tag__iexact=identifier) | Q(serial__iexact=identifier)).select_related("school")
    return found.filter(SUPPORTED).order_by("pk").first()


def report_device_problem(*, identifier: str, description: str, email: str, language: str = "") -> FamilyReport:
    """Record the report and email its confirmation link. Files nothing.

    Raises DomainError (field `device`) for a tag or serial the district does not look
    after, or a device with no school to send it to. The returned object carries the raw
    token as `token` (only there: the table keeps its hash).
    """
    asset = find_device(identifier)
    if asset is None:
        raise DomainError(
            gettext(
                "We could not find a school device with that tag or serial number. The tag is the district "
                "sticker on the device, the serial number is on its bottom or back. Personal devices are not "
                "supported; if the sticker is missing, ask your school's front office."
            ),
            field="device",
        )
    if asset.school_id is None:
        raise DomainError(
            gettext("This device is not assigned to a school yet; please ask your school's front office."),
            field="device",
        )
    with transaction.atomic():
        report = FamilyReport.objects.create(
            asset=asset,
            description=description.strip(),
            email=email.strip(),
            language=language,
            token_hash=hash_token(secrets.token_urlsafe(32)),  # until the id, which the token comes from, is known
        )
        token = token_for(report)
        report.token_hash = hash_token(token)
        report.save(update_fields=["token_hash"])
        outbox.queue_email(
            kind="family_report_confirm",
            to=report.email,
            template="tickets/email/family_confirm",
            context={"link": link_for(token), "asset": asset, "report": report},
            language=language or None,
        )
    report.token = token
    return report


def report_by_token(token: str) -> FamilyReport | None:
    if not token:
        return None
    return FamilyReport.objects.select_related("asset__school", "ticket").filter(token_hash=hash_token(token)).first()


def is_expired(report: FamilyReport) -> bool:
    return report.confirmed_at is None and report.created_at < timezone.now() - CONFIRM_WITHIN


def family_reporter_for(school: School) -> User:
    """The school's inactive "family reporter" account, made the first time it is needed."""
    user, created = get_user_model().objects.get_or_create(
        username=f"family-reporter-{school.pk}",
        defaults={"first_name": "Student or family", "last_name": f"({school.name})"[:150], "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        profile, _ = Profile.objects.get_or_create(user=user)
        profile.school = school
        profile.save(update_fields=["school"])
        user.profile = profile  # the cached one (made by the post_save signal) still had no school
    return user


def family_category() -> Category:
    slug = getattr(settings, "HELPDESK_FAMILY_CATEGORY", FAMILY_CATEGORY)
    category = Category.objects.filter(slug=slug, in_scope=True).first()
    # Otherwise the first in-scope category that keeps tickets in the school's own queue.
    category = category or Category.objects.filter(in_scope=True, queue__isnull=True).order_by("name").first()
    if category is None:
        raise DomainError(gettext("The help desk cannot take device reports right now; please call your school."))
    return category


def confirm_report(*, report: FamilyReport) -> Ticket | None:
    """File the report's ticket in the device's school queue, once: a second confirmation
    (a double click, a second tab, the link opened again) finds the first one's ticket
    (None if that ticket has since been deleted: the report's link to it is SET_NULL)."""
    if is_expired(report):
        raise DomainError(gettext("This link has expired; please send the report again."))
    asset = report.asset
    with transaction.atomic():
        # Claim by conditional UPDATE: of two confirmations at once, one files and the other waits, then finds it.
        claimed = FamilyReport.objects.filter(pk=report.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now()
        )
        if not claimed:
            report.refresh_from_db()
            return report.ticket
        school = asset.school
        if school is None:  # the device left its school after the report was sent
            raise DomainError(
                gettext("This device is not assigned to a school yet; please ask your school's front office."),
                field="device",
            )
        reporter = family_reporter_for(school)
        description = gettext(
            "Reported by a student or family from the public device page.\n"
            "Device: %(tag)s\nReply to: %(email)s\n\n%(description)s"
        ) % {"tag": asset.tag, "email": report.email, "description": report.description}
        ticket = services.create_ticket(
            actor=reporter,
            title=gettext("Device %(tag)s: %(summary)s")
            % {"tag": asset.tag, "summary": " ".join(report.description.split())[:120]},
            description=description,
            category=family_category(),
            impact=Impact.LOW,
            urgency=Urgency.MEDIUM,
            school=school,
            asset_tag=asset.tag,
        )
        FamilyReport.objects.filter(pk=report.pk).update(ticket=ticket)
    report.refresh_from_db()
    return ticket


def public_replies(ticket: Ticket) -> QuerySet[Comment]:
    """What the reporter may read: the replies, never the internal notes."""
    return ticket.comments.filter(internal=False).select_related("author").order_by("created_at", "pk")
