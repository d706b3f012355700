"""Which emails each person gets: topics they may switch off, and the one question the outbox asks.

A topic groups the kinds of `OutboundEmail` a person thinks of as one thing ("a
technician replies to my request"). `EmailPreference.muted` lists the topics a person
switched off; nothing listed means every email. `wants(user, kind)` is the one check:
`outbox.queue_email` asks it for every email with a recipient, and the survey asks it
before recording an invitation. Kinds in no topic (a password reset, an answer to
mail we could not file) always go.

The requester's essential topics (acknowledgement, reply, resolution, survey) may not
all be switched off: someone who filed a request must hear about it somehow.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from notifications.models import EmailPreference
from schools.errors import DomainError
from schools.roles import is_director, is_staff_member

REQUESTER, STAFF, DIRECTOR = "requester", "staff", "director"
SURVEY_KIND = "survey_invitation"  # the survey sends itself (surveys.services), not through the outbox


@dataclass(frozen=True)
class Topic:
    key: str
    label: Promise
    kinds: frozenset[str]
    audience: str  # who is offered it: everyone (REQUESTER), STAFF or DIRECTOR
    essential: bool = False


TOPICS: tuple[Topic, ...] = (
    Topic("acknowledgement", _("We received your request"), frozenset({"acknowledgement"}), REQUESTER, True),
    Topic("reply", _("A technician answers your request"), frozenset({"reply"}), REQUESTER, True),
    Topic("waiting", _("A technician needs something from you"), frozenset({"waiting"}), REQUESTER),
    Topic("resolved", _("Your request is fixed"), frozenset({"resolved"}), REQUESTER, True),
    Topic("survey", _("The short survey after a request is closed"), frozenset({SURVEY_KIND}), REQUESTER, True),
    Topic("assigned", _("A request is given to you"), frozenset({"assigned"}), STAFF),
    Topic("requester_reply", _("Every reply from a teacher on your requests"), frozenset({"requester_reply"}), STAFF),
    Topic("reopened", _("A request of yours is reopened"), frozenset({"reopened"}), STAFF),
    Topic(
        "sla_warning",
        _("A request is close to its time limit"),
        frozenset({"sla_warning_response", "sla_warning_resolution"}),
        STAFF,
    ),
    Topic(
        "survey_follow_up", _("An unhappy survey answer needs a follow-up"), frozenset({"survey_follow_up"}), DIRECTOR
    ),
    Topic("monthly_report", _("The monthly report"), frozenset({"monthly_report"}), DIRECTOR),
)
BY_KEY = {topic.key: topic for topic in TOPICS}
_TOPIC_OF_KIND = {kind: topic.key for topic in TOPICS for kind in topic.kinds}
ESSENTIAL = frozenset(topic.key for topic in TOPICS if topic.essential)


class AllEssentialMuted(DomainError):
    pass


def topics_for(user: User) -> list[Topic]:
    """The topics offered to this person: everyone files requests; staff and directors get more."""
    offered = {REQUESTER}
    if is_staff_member(user):
        offered.add(STAFF)
    if is_director(user):
        offered.add(DIRECTOR)
    return [topic for topic in TOPICS if topic.audience in offered]


# Where a person's muted topics are kept once read, for the rest of the request.
_MUTED = "_helpdesk_muted_topics"


def muted_topics(user: User) -> frozenset[str]:
    if user.pk is None:
        return frozenset()
    load_muted([user])
    return getattr(user, _MUTED)


def load_muted(users: Iterable[User | None]) -> None:
    """Read the muted topics of several people in one query, before emails go to each of them
    (filing a ticket writes to the requester and the technician it was given to)."""
    pending = {u.pk: u for u in users if u is not None and u.pk is not None and not hasattr(u, _MUTED)}
    if not pending:
        return
    found = dict(EmailPreference.objects.filter(user_id__in=pending).values_list("user_id", "muted"))
    for pk, user in pending.items():
        setattr(user, _MUTED, frozenset(found.get(pk) or []))


def wants(user: User | None, kind: str) -> bool:
    """Does this person want emails of this kind? The one check every queued email goes through."""
    if user is None or getattr(user, "pk", None) is None:  # no one in particular: an address only
        return True
    topic = _TOPIC_OF_KIND.get(kind)
    return topic is None or topic not in muted_topics(user)


def set_muted(*, user: User, muted: set[str] | frozenset[str]) -> EmailPreference:
    """Record which of the person's offered topics they switched off.

    Topics not offered to them are dropped; switching off every essential requester
    email is refused with a plain-words error.
    """
    offered = {topic.key for topic in topics_for(user)}
    kept = sorted(key for key in muted if key in offered)
    if ESSENTIAL <= set(kept):
        raise AllEssentialMuted(
            gettext(
                "Keep at least one of these: “we received your request”, “a technician answers”, "
                "“your request is fixed” or the survey. Otherwise you would never hear about your requests."
            ),
            field="muted",
        )
    with transaction.atomic():
        preference, _created = EmailPreference.objects.update_or_create(user=user, defaults={"muted": kept})
    setattr(user, _MUTED, frozenset(kept))
    return preference
