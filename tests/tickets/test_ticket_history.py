"""tickets.templatetags.ticket_history: the ticket page's history, a sentence per event, drawn in Python."""

import re

import pytest
from django.contrib.auth.models import User
from django.template import Context, Template
from django.utils import timezone, translation

from tickets.models import Comment, TicketEvent
from tickets.templatetags.ticket_history import conversation_item, history_line, sentence

SCRIPT = "<script>alert(1)</script>"


def event(kind: str, actor: User | None = None, **data: object) -> TicketEvent:
    return TicketEvent(kind=kind, data=data, actor=actor, created_at=timezone.now())


@pytest.fixture
def ana() -> User:
    return User(first_name="Ana", last_name="Ruiz", username="aruiz")


@pytest.mark.parametrize(
    ("kind", "data", "staff_reads", "requester_reads"),
    [
        ("created", {"priority": "high", "queue": "Lincoln"}, "Ana Ruiz sent the request", "Ana Ruiz sent the request"),
        ("assigned", {"assignee": "Bo Lee"}, "Ana Ruiz assigned it to Bo Lee", "A technician has it"),
        ("started", {"resumed_by_reply": True}, "Ana Ruiz answered; work resumed", "Ana Ruiz answered; work resumed"),
        ("waiting", {"on": "third_party", "reason": "a lamp"}, "waiting for a part or another company: a lamp", "a lamp"),
        ("closed", {"automatic": True}, "Closed automatically", "Closed automatically"),
        ("closed", {"confirmed_by_requester": True}, "Ana Ruiz confirmed it is fixed", "confirmed it is fixed"),
        ("reopened", {"reason": "still dark"}, "Ana Ruiz reopened it: still dark", "reopened it: still dark"),
        ("commented", {"internal": True}, "Ana Ruiz added an internal note", "added an internal note"),
        ("updated", {"changes": {"priority": ["low", "high"]}}, "Ana Ruiz changed priority: low → high", "The help desk updated the details"),
        ("email_failed", {}, "An email could not be sent", "An email could not be sent"),
    ],
)  # fmt: skip
def test_each_event_reads_as_a_sentence_and_requesters_never_read_the_desks_details(
    ana, kind, data, staff_reads, requester_reads
):
    with translation.override("en"):
        assert staff_reads in str(sentence(event(kind, ana, **data), staff=True))
        said = str(sentence(event(kind, ana, **data), staff=False))
    assert requester_reads in said
    assert "Lincoln" not in said and "Bo Lee" not in said and "→" not in said


def test_the_queue_and_priority_are_staff_only_words_after_the_request_was_sent(ana):
    with translation.override("en"):
        staff = str(sentence(event("created", ana, priority="high", queue="Lincoln"), staff=True))
    assert re.search(
        r'sent the request <span class="text-body-secondary">\(priority high, queue Lincoln\)</span>', staff
    )


def test_everything_from_the_event_is_escaped(ana):
    ana.first_name = SCRIPT
    with translation.override("en"):
        html = str(sentence(event("waiting", ana, reason=SCRIPT), staff=True))
        html += str(sentence(event("updated", ana, changes={SCRIPT: [SCRIPT, None]}), staff=True))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "→ —" in html  # an empty value reads as a dash


def test_no_actor_is_the_help_desk_and_spanish_comes_from_the_catalog():
    with translation.override("es"):
        html = str(sentence(event("resolved"), staff=False))
    with translation.override("en"):
        english = str(sentence(event("resolved"), staff=False))
    assert english == "The help desk marked it fixed"
    assert html != english and html  # translated, never blank


def test_the_line_starts_with_the_time_in_iso_and_in_words(ana):
    line = event("resolved", ana)
    with translation.override("en"):
        html = str(history_line(line, staff=True))
    iso = timezone.localtime(line.created_at).isoformat()
    assert html.startswith(f'<time datetime="{iso}" class="text-body-secondary">')
    assert html.endswith("</time> — Ana Ruiz marked it fixed")


# The card as detail.html drew it before `{% conversation_item %}`: the tag must draw the same.
CARD_AS_TEMPLATE = """{% load i18n people %}<li class="card mb-2{% if comment.internal %} internal{% endif %}" id="comment-{{ comment.pk }}" tabindex="-1">
<div class="card-body">
<p class="small text-body-secondary mb-1">
<strong>{{ comment.author|display_name }}</strong>
· <time datetime="{{ comment.created_at|date:'c' }}">{{ comment.created_at|date:"DATETIME_FORMAT" }}</time>
{% if comment.internal %}· <span class="badge text-bg-warning">{% translate "Internal note — staff only" %}</span>{% endif %}
</p>
<div class="comment-body">{{ comment.body }}</div>
</div>
</li>"""


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("internal", [False, True])
@pytest.mark.parametrize("author", ["ana", "hostile"])
def test_a_conversation_card_is_the_one_the_template_drew(ana, language, internal, author):
    writer = {"ana": ana, "hostile": User(first_name=SCRIPT, username="x")}[author]
    comment = Comment(
        pk=7, author=writer, internal=internal, created_at=timezone.now(), body=f"Line one\n\n{SCRIPT} & more"
    )
    with translation.override(language):
        drawn = str(conversation_item(comment))
        expected = Template(CARD_AS_TEMPLATE).render(Context({"comment": comment}))
    assert re.sub(r"\s*\n\s*", "\n", drawn) == re.sub(r"\s*\n\s*", "\n", expected)
    assert SCRIPT not in drawn and "Line one\n\n&lt;script&gt;" in drawn
