"""The family reporter's link, and the email that brings them the help desk's replies.

Apart from tickets/family.py because `services.add_comment` sends the reply email and
family.py files tickets through services. The link's token is an HMAC of the report's id
under SECRET_KEY (as Django's password reset tokens are), so a later email can carry the
same link while the table keeps only its SHA-256: the table alone opens no report.
Rotating SECRET_KEY ends the links, as it ends password reset links.
"""

import hashlib

from django.conf import settings
from django.utils.crypto import salted_hmac

from notifications import outbox
from tickets.models import Comment, FamilyReport, Ticket

LINK_SALT = "tickets.family.link"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_for(report: FamilyReport) -> str:
    return salted_hmac(LINK_SALT, f"family-report:{report.pk}", algorithm="sha256").hexdigest()


def link_for(token: str) -> str:
    return f"{settings.SITE_URL}/help/device/{token}/"


def follow_link(report: FamilyReport) -> str | None:
    """The report's follow link; None for a link made before tokens came from the id (or another SECRET_KEY)."""
    token = token_for(report)
    return link_for(token) if hash_token(token) == report.token_hash else None


def email_family_reply(*, ticket: Ticket, comment: Comment) -> None:
    """A public staff reply on a family's ticket: email it with the follow link (never a sign-in link).

    Called inside the reply's transaction; the outbox sends on commit.
    """
    report = FamilyReport.objects.filter(ticket=ticket).select_related("asset").first()
    if report is None or comment.internal:
        return
    link = follow_link(report)
    if link is None:
        return
    outbox.queue_email(
        kind="family_reply",
        to=report.email,
        template="tickets/email/family_reply",
        # No `ticket`: the family has no account, and a reply by email would not reach the request.
        context={"link": link, "asset": report.asset, "report": report, "comment": comment},
        language=report.language or None,
    )
