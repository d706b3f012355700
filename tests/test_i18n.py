"""Spanish for requesters: a complete catalogue, the language from the profile (else the
browser), a footer switcher, and emails and the survey in the requester's language.

The catalogue checks read the sources the way `makemessages` does (Django's templatize
for templates, string literals in gettext calls for Python), so a new string on a
requester page fails here until it is in locale/es/ with a translation.
"""

import ast
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.utils import formats, translation
from django.utils.translation.template import templatize

from notifications.models import OutboundEmail
from schools.models import Profile
from tests import factories
from tests.conftest import api_as
from tickets import services

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.mo"

# What a requester (or a signed-out visitor) sees: pages, partials and emails.
REQUESTER_TEMPLATES = [
    "base.html",
    "_error_summary.html",
    "registration/login.html",
    "support.html",
    "email/base.html",
    "tickets/home.html",
    "tickets/my_list.html",
    "tickets/_request_rows.html",
    "tickets/new.html",
    "tickets/detail.html",
    "devices/_loaner_note.html",
    "tickets/_pagination.html",
    "kb/index.html",
    "kb/detail.html",
    "kb/_article_row.html",
    "kb/_suggestions.html",
    "kb/_suggest_region.html",
    "kb/_solved.html",
    "schools/_next_visit.html",
    "surveys/survey.html",
    "surveys/thanks.html",
    "surveys/answered.html",
    "surveys/expired.html",
    "surveys/forbidden.html",
    "surveys/throttled.html",
    "surveys/_radio_group.html",
    "surveys/_ticket_summary.html",
    *(
        f"{email}_{part}"
        for email in (
            "tickets/email/acknowledgement",
            "tickets/email/reply",
            "tickets/email/resolved",
            "tickets/email/waiting",
            "surveys/email/invitation",
            "surveys/email/reminder",
        )
        for part in ("subject.txt", "body.txt", "body.html")
    ),
]
# Python modules whose messages reach requesters: form labels and errors, service errors
# (also the API's 400/403/409 bodies), the page messages after an action, survey words.
REQUESTER_PYTHON = [
    "tickets/forms.py",
    "tickets/errors.py",
    "tickets/services/rules.py",
    "tickets/services/filing.py",
    "tickets/services/transitions.py",
    "tickets/views/actions.py",
    "tickets/views/pages.py",
    "tickets/views/kb.py",
    "tickets/templatetags/ticket_badges.py",
    "tickets/templatetags/ticket_history.py",
    "surveys/forms.py",
    "surveys/services.py",
]

# `makemessages` feeds xgettext the output of templatize: gettext(u'...') / ngettext(u'...', u'...', n).
# Literals are u'...' or, when the text has an apostrophe, u"...".
STRING = r"u'(?:[^'\\]|\\.)*'" + "|" + r'u"(?:[^"\\]|\\.)*"'
TEMPLATIZED_CALL = re.compile(rf"\b(n?p?gettext)\(((?:(?:{STRING})(?:, )?)+)")
LITERAL = re.compile(STRING)
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
WITHOUT_STRINGS = {"templates/surveys/_radio_group.html"}  # labels come from surveys/forms.py
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def catalogue() -> polib.POFile:
    return polib.pofile(str(PO))


def template_msgids(name: str) -> set[tuple[str | None, str]]:
    """(context, msgid) pairs in one template, as makemessages extracts them."""
    source = (ROOT / "templates" / name).read_text()
    found = set()
    for call in TEMPLATIZED_CALL.finditer(templatize(source, origin=name)):
        literals = [ast.literal_eval(text[1:]) for text in LITERAL.findall(call.group(2))]
        context = literals.pop(0) if "p" in call.group(1) else None
        found.add((context, literals[0]))
    return found


def python_msgids(name: str) -> set[tuple[str | None, str]]:
    found = set()
    for node in ast.walk(ast.parse((ROOT / name).read_text())):
        if not isinstance(node, ast.Call):
            continue
        func = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        strings = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if func in GETTEXT_NAMES and strings:
            found.add((strings[0], strings[1]) if func.startswith("p") else (None, strings[0]))
    return found


def test_every_requester_string_has_a_spanish_translation() -> None:
    entries = {(entry.msgctxt, entry.msgid): entry for entry in catalogue() if not entry.obsolete}
    problems = []
    for name, msgids in [
        *((f"templates/{t}", template_msgids(t)) for t in REQUESTER_TEMPLATES),
        *((p, python_msgids(p)) for p in REQUESTER_PYTHON),
    ]:
        assert msgids or name in WITHOUT_STRINGS, f"no strings found in {name}: is the extraction broken?"
        for key in sorted(msgids, key=str):
            entry = entries.get(key)
            if entry is None:
                problems.append(f"{name}: {key[1]!r} is not in the catalogue (run makemessages)")
            elif "fuzzy" in entry.flags:
                problems.append(f"{name}: {key[1]!r} is fuzzy")
            elif not (entry.msgstr or all(entry.msgstr_plural.values())):
                problems.append(f"{name}: {key[1]!r} has no translation")
    assert not problems, "\n".join(problems)


def test_the_extraction_sees_strings_it_must_check() -> None:
    """Guards the checker itself: a known requester string is found in each kind of source."""
    assert (None, "Yes, it's fixed") in template_msgids("tickets/detail.html")
    assert (None, "Sent %(when)s ago") in template_msgids("tickets/_request_rows.html")
    assert (None, "How much does it affect your class?") in python_msgids("tickets/forms.py")
    assert ("cannot be ...", "reopened") in python_msgids("tickets/errors.py")


def test_translations_keep_every_placeholder() -> None:
    """A lost or renamed %(name)s would raise KeyError (a 500) when the page renders in Spanish."""
    wrong = []
    for entry in catalogue():
        pairs = (
            [(entry.msgid, entry.msgstr)]
            if not entry.msgid_plural
            else [(entry.msgid, entry.msgstr_plural[0]), (entry.msgid_plural, entry.msgstr_plural[1])]
        )
        for source, translated in pairs:
            if translated and sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translated)):
                wrong.append(f"{source!r} -> {translated!r}")
    assert not wrong, "\n".join(wrong)


def test_committed_mo_matches_the_po() -> None:
    """The compiled catalogue is committed so nothing needs GNU gettext; it must not go stale."""
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(MO)) if e.msgid}
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural)
        for e in catalogue().translated_entries()
        if "fuzzy" not in e.flags
    }
    stale = sorted(str(key) for key in source.keys() ^ compiled.keys())
    stale += sorted(str(key) for key in source.keys() & compiled.keys() if source[key][0] != compiled[key][0])
    assert not stale, "locale/es/LC_MESSAGES/django.mo is out of date: run compilemessages\n" + "\n".join(stale[:20])


# --- the language each person gets ------------------------------------------------------------


@pytest.fixture
def profile_languages(settings):
    """The profile-language middleware is wired in the project's settings (and set_language's URL)."""
    assert "schools.middleware.ProfileLanguageMiddleware" in settings.MIDDLEWARE
    assert "surveys.middleware.SurveyLanguageMiddleware" in settings.MIDDLEWARE


def speak(user, language: str) -> None:
    Profile.objects.filter(user=user).update(language=language)
    user.profile.refresh_from_db()


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.django_db
def test_a_teacher_whose_profile_says_spanish_gets_spanish_pages(client, teacher, profile_languages):
    speak(teacher, "es")
    client.force_login(teacher)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert html_lang(response) == "es"
    assert response["Content-Language"] == "es"
    assert "Mis solicitudes" in response.content.decode()


@pytest.mark.django_db
def test_without_a_profile_language_the_browser_decides(client, teacher, profile_languages):
    client.force_login(teacher)
    spanish = client.get("/tickets/new/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    english = client.get("/tickets/new/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert (html_lang(spanish), html_lang(english)) == ("es", "en")
    assert "¿Cuánto afecta a su clase?" in spanish.content.decode()
    assert "How much does it affect your class?" in english.content.decode()


@pytest.mark.django_db
def test_signed_out_visitors_get_their_browser_language(client, profile_languages):
    response = client.get("/support/", HTTP_ACCEPT_LANGUAGE="es")
    assert html_lang(response) == "es"
    assert "Qué tan rápido respondemos" in response.content.decode()


@pytest.mark.django_db
def test_the_footer_switcher_posts_to_set_language_and_saves_the_choice(client, teacher, profile_languages):
    client.force_login(teacher)
    page = client.get("/").content.decode()
    assert 'action="/i18n/setlang/"' in page and '<option value="es" lang="es"' in page

    response = client.post("/i18n/setlang/", {"language": "es", "next": "/tickets/"})
    assert response.status_code == 302 and response["Location"] == "/tickets/"
    teacher.profile.refresh_from_db()
    assert teacher.profile.language == "es"
    assert html_lang(client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en")) == "es"


@pytest.mark.django_db
def test_dates_follow_the_page_language(client, teacher, ticket, profile_languages):
    speak(teacher, "es")
    client.force_login(teacher)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    with translation.override("es"):
        spanish_date = formats.date_format(ticket.created_at.astimezone(), "DATETIME_FORMAT")
    assert spanish_date in page
    # One format per language (helpdesk/formats): "lun 23 nov. 2026, 15:08", not "Mon Nov 23, 2026, 3:08 PM".
    assert re.fullmatch(r"[a-zé]{3} \d{1,2} [a-z]{3}\. \d{4}, \d{1,2}:\d{2}", spanish_date), spanish_date
    with translation.override("en"):
        english_date = formats.date_format(ticket.created_at.astimezone(), "DATETIME_FORMAT")
    assert re.fullmatch(r"[A-Z][a-z]{2} [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M", english_date), english_date


@pytest.mark.django_db(transaction=True)
def test_a_spanish_speaking_requester_gets_spanish_emails_and_survey(
    client, teacher, technician, category, profile_languages
):
    speak(teacher, "es")
    ticket = factories.TicketFactory(requester=teacher, category=category, title="Proyector")
    acknowledgement = OutboundEmail.objects.get(ticket=ticket, to=teacher.email)
    assert acknowledgement.subject == f"Recibimos su solicitud: [#{ticket.pk}] Proyector"
    assert "Qué pasa ahora" in acknowledgement.body_text
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    services.resolve_ticket(actor=technician, ticket=ticket, resolution="Lámpara nueva.", self_help="")
    resolved = OutboundEmail.objects.filter(ticket=ticket, to=teacher.email).latest("pk")
    assert resolved.subject.startswith("¿Arreglado?")
    mail.outbox.clear()
    services.close_ticket(actor=teacher, ticket=ticket)  # on commit: the survey email goes out
    (survey_email,) = [m for m in mail.outbox if m.to == [teacher.email]]
    assert survey_email.subject == f"¿Cómo lo hicimos? [#{ticket.pk}] Proyector"

    # The signed-out survey page (opened from the email) is in the requester's language too.
    token = ticket.survey_invitation.token
    page = client.get(f"/surveys/{token}/", HTTP_ACCEPT_LANGUAGE="en")
    assert html_lang(page) == "es"
    assert "¿Qué tan rápido atendimos su solicitud?" in page.content.decode()
    # ...unless the visitor picked a language with the switcher.
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert html_lang(client.get(f"/surveys/{token}/")) == "en"


@pytest.mark.django_db
def test_api_error_messages_are_translated(teacher, category):
    category.in_scope = False
    category.guidance = ""
    category.save()
    payload = {"title": "Wi-Fi", "description": "Slow", "category": category.pk, "impact": "low", "urgency": "low"}
    response = api_as(teacher).post("/api/tickets/", payload, format="json", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    assert response.json()["category"] == [f"La mesa de ayuda no atiende {category.name}."]


@pytest.mark.django_db
def test_the_invalid_transition_message_reads_naturally_in_both_languages(teacher, technician, ticket):
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    services.resolve_ticket(actor=technician, ticket=ticket, resolution="Done", self_help="")
    services.close_ticket(actor=teacher, ticket=ticket)
    for language, expected in [
        ("en", "A ticket that is closed cannot be resolved."),
        ("es", "Una solicitud que está cerrada no se puede resolver."),
    ]:
        with translation.override(language), pytest.raises(services.InvalidTransition) as error:
            services.resolve_ticket(actor=technician, ticket=ticket, resolution="Again", self_help="")
        assert str(error.value) == expected
