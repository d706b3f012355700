"""Hostile input where the existing suites do not look yet (tests/tickets/test_api_hostile.py,
tests/tickets/test_*_page.py, tests/kb/test_markdown.py and tests/tickets/test_outbox.py cover
ticket text in pages and the API, Markdown links, and subjects): names of people, schools and
categories; survey comments; the KB suggestion fragment; emails' HTML; the admin; open
redirects; the Host header; CSV cells from every column; and GET on every state-changing URL."""

import csv
import io

import pytest
from django.core import mail
from django.urls import reverse

from surveys import services as survey_services
from tests import factories
from tests.security.test_authorization_matrix import EXPECTED
from tickets import services
from tickets.kb import services as kb_services

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE = [SCRIPT, IMG, "'><svg/onload=alert(1)>", "</textarea><script>alert(1)</script>"]
RAW_MARKERS = ("<script>alert", "<img src=x", "<svg/onload", "onerror=alert(1)>")


def _no_raw_markup(html: str) -> None:
    for marker in RAW_MARKERS:
        assert marker not in html, marker


def _signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def hostile_world(technician, director):
    """Every name a user, a director or a teacher can set, made hostile."""
    school = factories.SchoolFactory(name=f"School {IMG}", address=SCRIPT)
    category = factories.CategoryFactory(name=f"Cat {SCRIPT}", responsible_party=IMG, guidance=SCRIPT)
    teacher = factories.UserFactory(profile__school=school, first_name=SCRIPT, last_name=IMG)
    technician.first_name = IMG
    technician.save(update_fields=["first_name"])
    ticket = factories.TicketFactory(requester=teacher, category=category, title="Projector", asset_tag=IMG[:50])
    services.assign_ticket(actor=director, ticket=ticket, assignee=technician)
    services.add_comment(actor=technician, ticket=ticket, body=SCRIPT)
    return {"school": school, "category": category, "teacher": teacher, "ticket": ticket}


def test_hostile_names_are_escaped_on_every_ticket_page(client, hostile_world, technician, director):
    ticket = hostile_world["ticket"]
    teacher = hostile_world["teacher"]
    pages = [
        (teacher, reverse("home")),
        (teacher, reverse("ticket-list")),
        (teacher, reverse("ticket-detail", args=[ticket.pk])),
        (teacher, reverse("ticket-new")),
        (technician, reverse("ticket-list")),
        (technician, reverse("ticket-detail", args=[ticket.pk])),
        (technician, reverse("today")),
        (director, reverse("rotations")),
        (director, "/rotations/coverage/"),
        (None, reverse("support")),
    ]
    for user, path in pages:
        client.logout()
        if user:
            client.force_login(user)
        response = client.get(path)
        assert response.status_code == 200, path
        _no_raw_markup(response.content.decode())
    detail = _signed_in(client, technician).get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail


def test_hostile_names_are_escaped_in_the_admin(client, hostile_world):
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    ticket = hostile_world["ticket"]
    for path in [
        "/admin/tickets/ticket/",
        f"/admin/tickets/ticket/{ticket.pk}/change/",
        "/admin/tickets/ticketevent/",
        "/admin/schools/school/",
        "/admin/tickets/category/",
        "/admin/tickets/comment/",
        "/admin/auth/user/",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        _no_raw_markup(response.content.decode())


def test_hostile_names_are_escaped_in_email_html_and_stay_literal_in_text(
    hostile_world, technician, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    ticket = hostile_world["ticket"]
    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(actor=technician, ticket=ticket, body=f"Try this {IMG}")
        services.wait_ticket(actor=technician, ticket=ticket, reason=SCRIPT)
    assert mail.outbox
    for message in mail.outbox:
        html = message.alternatives[0][0] if message.alternatives else ""
        _no_raw_markup(html)
        for name, value in message.message().items():
            assert "\n" not in value.replace("\n ", "").replace("\n\t", ""), name


def test_newlines_in_names_and_titles_never_add_email_headers(
    teacher, category, technician, django_capture_on_commit_callbacks
):
    teacher.first_name = "Ann\r\nBcc: victim@evil.example"
    teacher.save(update_fields=["first_name"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ticket = factories.TicketFactory(
            requester=teacher, category=category, title="Help\r\nBcc: all@evil.example\r\n\r\nbody"
        )
        services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    assert mail.outbox
    for message in mail.outbox:
        headers = [name.lower() for name in message.message().keys()]
        # The words stay in the one-line subject; they never become a header of their own.
        assert "bcc" not in headers and headers.count("subject") == 1
        assert message.bcc == []
        assert all("evil.example" not in address for address in message.recipients())


def test_survey_comments_are_escaped_on_the_follow_up_list_and_director_email(
    client, teacher, technician, director, category, django_capture_on_commit_callbacks
):
    ticket = factories.TicketFactory(requester=teacher, category=category)
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    services.resolve_ticket(actor=technician, ticket=ticket, resolution="Fixed")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ticket = services.close_ticket(actor=teacher, ticket=ticket)
        survey_services.record_answer(
            invitation=ticket.survey_invitation, user=teacher, timeliness=1, quality=1, comment=SCRIPT + IMG
        )
    html = _signed_in(client, director).get(reverse("survey-follow-up")).content.decode()
    _no_raw_markup(html)
    assert "&lt;script&gt;" in html
    for message in mail.outbox:
        for body, _type in getattr(message, "alternatives", []):
            _no_raw_markup(body)


def test_every_csv_column_is_neutralised(client, teacher, technician, director, django_capture_on_commit_callbacks):
    school = factories.SchoolFactory(name='=HYPERLINK("http://evil.example","x")')
    category = factories.CategoryFactory(name="+cmd|' /C calc'!A0")
    requester = factories.UserFactory(profile__school=school)
    technician.first_name, technician.last_name = "@SUM(1+1)", "-2+3"
    technician.save(update_fields=["first_name", "last_name"])
    ticket = factories.TicketFactory(requester=requester, category=category, title="=1+1")
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    services.resolve_ticket(actor=technician, ticket=ticket, resolution="Fixed")
    ticket = services.close_ticket(actor=requester, ticket=ticket)
    survey_services.record_answer(
        invitation=ticket.survey_invitation, user=requester, timeliness=5, quality=5, comment="\t=cmd"
    )
    response = _signed_in(client, director).get(reverse("survey-responses-csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_kb_suggestion_fragment_escapes_article_titles(client, teacher, technician):
    kb_services.create_article(actor=technician, title=f"Wifi {SCRIPT}", body=f"Wifi [x](JaVaScRiPt:alert(1)) {IMG}")
    response = _signed_in(client, teacher).get(reverse("kb:suggest"), {"q": "wifi"})
    assert response.status_code == 200
    html = response.content.decode()
    _no_raw_markup(html)
    assert "javascript:" not in html.lower()


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "https:evil.example",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        " https://evil.example",
        "https://127.0.0.1.evil.example/",
        "/%2F%2Fevil.example",
    ],
)
def test_next_parameter_never_leaves_the_site(target, client, teacher):
    response = client.post(
        f"{reverse('login')}?next={target}",
        {"username": teacher.username, "password": "correct-horse-battery", "next": target},
    )
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    assert "evil.example" not in location or location.startswith("/%2F")
    # A signed-in user arriving with the same ?next= is not sent away either.
    again = client.get(f"{reverse('login')}?next={target}")
    assert again.status_code == 302
    assert again["Location"].startswith("/") and not again["Location"].startswith(("//", "/\\"))


def test_forged_host_header_is_refused(client):
    response = client.get(reverse("support"), HTTP_HOST="evil.example")
    assert response.status_code == 400


def test_email_links_come_from_site_url_even_with_a_forged_host(
    client, teacher, category, settings, django_capture_on_commit_callbacks
):
    settings.ALLOWED_HOSTS = ["*"]
    _signed_in(client, teacher)
    token_page = client.get(reverse("ticket-new"), HTTP_HOST="evil.example")
    token = token_page.context["form"]["form_token"].value()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ticket-new"),
            {
                "title": "Projector",
                "description": "No picture",
                "category": category.pk,
                "impact": "medium",
                "urgency": "medium",
                "form_token": token,
            },
            HTTP_HOST="evil.example",
        )
    assert response.status_code == 302
    assert mail.outbox
    for message in mail.outbox:
        assert "evil.example" not in message.body
        assert "https://helpdesk.district.example/" in message.body


@pytest.mark.parametrize(
    "query",
    [
        {"ordering": "requester__password"},
        {"ordering": "-requester__password,title"},
        {"requester__password__startswith": "md5"},
        {"requester__is_superuser": "true"},
        {"page": "99999"},
        {"page": "-1"},
        {"page": "1e9"},
        {"status": "x" * 5000},
    ],
)
def test_html_list_ignores_unknown_keys_and_clamps_pages(query, client, technician, teacher, category):
    other = factories.UserFactory(profile__school=teacher.profile.school)
    factories.TicketFactory(requester=teacher, category=category, title="A")
    factories.TicketFactory(requester=other, category=category, title="B")
    response = _signed_in(client, teacher).get(reverse("ticket-list"), query)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        # Still only the requester's own row, whatever was asked for.
        assert [t.title for t in response.context["tickets"]] in ([], ["A"])


@pytest.mark.parametrize(
    "query, expected_size",
    [({"page_size": "100000"}, 100), ({"page_size": "0"}, 25), ({"page_size": "-5"}, 25), ({"page_size": "x"}, 25)],
)
def test_api_page_size_is_clamped(query, expected_size, technician, teacher, category, api):
    for n in range(3):
        factories.TicketFactory(requester=teacher, category=category, title=f"T{n}")
    from schools.pagination import Pagination

    api.force_authenticate(technician)
    response = api.get("/api/tickets/", query)
    assert response.status_code == 200
    assert Pagination.max_page_size == 100
    assert len(response.json()["results"]) == 3


def test_search_totals_count_only_visible_rows(api, teacher, other_teacher, category):
    factories.TicketFactory(requester=teacher, category=category, title="Printer jam mine")
    factories.TicketFactory(requester=other_teacher, category=category, title="Printer jam theirs")
    api.force_authenticate(teacher)
    body = api.get("/api/tickets/", {"search": "Printer"}).json()
    assert body["count"] == 1 and len(body["results"]) == 1


def test_every_html_state_change_refuses_get(client, director):
    """GET on an action is 405 (or, for the sign-in-only ones, never a change)."""
    from tests.security.world import OWN, build_world

    world = build_world()
    _signed_in(client, director)
    for route, checks in EXPECTED.items():
        if any(method == "get" for method, _build, _expect in checks):
            continue  # a page that shows a form on GET and takes it on POST (e.g. /people/<id>/)
        for method, build, _expect in checks:
            # Django's set_language answers GET with a redirect and changes nothing.
            if method != "post" or route.startswith(("api/", "accounts/")) or route == "i18n/setlang/":
                continue
            response = client.get(build(world, OWN))
            assert response.status_code == 405, f"GET {route} → {response.status_code}"
