"""Plain words: requester pages and emails never show the help desk's internal terms.

PRODUCT.md: a teacher reads "when we'll reply", "how much it affects your class",
"we're waiting for you" — never queue, SLA, impact, urgency, P1 or a status code.
Checked on every page a requester reaches (what is read aloud too: aria-label, title,
placeholder, alt) and every email they get, in English and in Spanish.
"""

import html
import re

import pytest
from django.core import mail
from django.utils import translation

from notifications.models import OutboundEmail
from tests.browser.test_accessibility import World, seed_world

GLOSSARY = {
    "en": [r"\bqueues?\b", r"\bSLA\b", r"\bimpact\b", r"\burgency\b", r"\bP[1-4]\b", r"\btriage\b"],
    "es": [r"\bcolas?\b", r"\bSLA\b", r"\bimpacto\b", r"\burgencia\b", r"\bP[1-4]\b", r"\btriaje\b"],
}
# Raw status and mode codes, in any language.
CODES = [r"\bin_progress\b", r"\bon_site\b", r"\bstatus\b(?=\s*[:=])"]
READ_ALOUD = re.compile(r'(?:aria-label|title|placeholder|alt)="([^"]*)"')


def words_of(page: str) -> str:
    """What a person sees or hears: text nodes plus the attributes screen readers announce."""
    spoken = " ".join(READ_ALOUD.findall(page))
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + spoken)


def jargon_in(text: str, language: str) -> list[str]:
    return [m.group(0) for pattern in GLOSSARY[language] + CODES for m in re.finditer(pattern, text, re.I)]


def requester_urls(world: World) -> list[str]:
    return [
        "/",
        "/tickets/",
        "/tickets/?open=true",
        "/tickets/new/",
        f"/tickets/{world.open_ticket.pk}/",
        f"/tickets/{world.resolved_ticket.pk}/",
        "/kb/",
        "/kb/?q=projector",
        f"/kb/{world.article.pk}/",
        "/support/",
        f"/surveys/{world.survey_token}/",
        f"/surveys/{world.answered_token}/thanks/",
    ]


@pytest.fixture
def world(db, django_capture_on_commit_callbacks) -> World:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        return seed_world()


@pytest.mark.parametrize("language", ["en", "es"])
def test_requester_pages_use_plain_words(client, world, language):
    client.force_login(world.teacher)
    found = {}
    for url in requester_urls(world):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in response.content.decode(), url
        if jargon := jargon_in(words_of(response.content.decode()), language):
            found[url] = jargon
    assert not found, f"internal terms on requester pages ({language}): {found}"


@pytest.mark.parametrize("language", ["en", "es"])
def test_signed_out_pages_use_plain_words(client, world, language):
    urls = [
        "/accounts/login/",
        "/support/",
        f"/surveys/{world.survey_token}/",
        f"/surveys/{world.answered_token}/thanks/",
    ]
    found = {}
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        if jargon := jargon_in(words_of(response.content.decode()), language):
            found[url] = jargon
    assert not found, f"internal terms on signed-out pages ({language}): {found}"


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_new_request_form_asks_in_the_teachers_words(client, world, language):
    client.force_login(world.teacher)
    page = words_of(client.get("/tickets/new/", HTTP_ACCEPT_LANGUAGE=language).content.decode())
    with translation.override(language):
        assert translation.gettext("How much does it affect your class?") in page
        assert translation.gettext("How soon do you need it?") in page


def test_requesters_never_see_internal_notes(client, world):
    client.force_login(world.teacher)
    page = html.unescape(client.get(f"/tickets/{world.open_ticket.pk}/").content.decode())
    assert "I'll bring a new lamp at 10." in page
    assert "Lamp part number 44-A." not in page
    assert "internal" not in words_of(page).lower()


def test_emails_to_requesters_use_plain_words(world):
    recorded = OutboundEmail.objects.filter(to=world.teacher.email)
    kinds = set(recorded.values_list("kind", flat=True))
    assert len(kinds) >= 2, f"the seed should send the requester several kinds of email, got {kinds}"
    survey_emails = [m for m in mail.outbox if m.to == [world.teacher.email]]
    assert survey_emails, "closing a ticket sends the requester a survey email"
    texts = [(e.kind, f"{e.subject}\n{e.body_text}\n{words_of(e.body_html)}") for e in recorded]
    texts += [("survey", f"{m.subject}\n{m.body}") for m in survey_emails]
    found = {kind: jargon for kind, text in texts if (jargon := jargon_in(text, "en"))}
    assert not found, f"internal terms in requester emails: {found}"
    acknowledgement = recorded.filter(subject__startswith="We received").first()
    assert acknowledgement is not None
    # The reply-by line appears whenever the request has a reply-by time to tell.
    assert "We'll reply by" in acknowledgement.body_text or acknowledgement.ticket.response_due_at is None


def test_the_glossary_check_catches_jargon():
    """The check itself: internal words fail it in text and in what screen readers announce."""
    assert jargon_in(words_of('<p>Moved to the Network queue</p><span title="SLA breached">!</span>'), "en") == [
        "queue",
        "SLA",
    ]
    assert sorted(jargon_in(words_of("<p>Impacto: alto · en la cola</p>"), "es")) == ["Impacto", "cola"]
    assert sorted(jargon_in("status: in_progress", "en")) == ["in_progress", "status"]
