"""The browser pages of the core, for each role, through Django's test client."""

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tickets import services
from tickets.models import Comment, Ticket, TicketEvent

pytestmark = pytest.mark.django_db

HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
PLAIN_STATUS = {
    "new": "Received",
    "assigned": "A technician has it",
    "in_progress": "Being worked on",
    "waiting": "Waiting for your answer",
    "resolved": "Fixed — please confirm",
    "closed": "Closed",
}
JARGON = ["queue", "SLA", "impact", "urgency", "in_progress"]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def visible_text(response) -> str:
    """The page's text without tags, scripts' sources, attributes or comments, for jargon checks."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def new_form_token(client: Client) -> str:
    response = client.get(reverse("ticket-new"))
    assert response.status_code == 200
    return response.context["form"].initial["form_token"]


def filing_data(category, **overrides) -> dict:
    data = {
        "title": "Projector will not turn on",
        "description": "Lamp blinks orange.",
        "category": category.pk,
        "impact": "medium",
        "urgency": "high",
        "needed_by": "",
        "asset_tag": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def campus_contact(school):
    contact = factories.UserFactory(profile__school=school)
    school.campus_contact = contact
    school.save()
    return contact


@pytest.fixture
def outside_teacher(db):
    return factories.UserFactory(profile__school=factories.SchoolFactory())


@pytest.fixture
def resolved_ticket(ticket, technician):
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    return services.resolve_ticket(
        actor=technician, ticket=ticket, resolution="Replaced the lamp.", self_help="Check the power strip first."
    )


# --- home ------------------------------------------------------------------------


def test_anonymous_home_redirects_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_page_has_labelled_fields(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label class="form-label" for="id_username">' in html
    assert '<label class="form-label" for="id_password">' in html


def test_signing_in_lands_on_home(client, teacher):
    response = client.post(reverse("login"), {"username": teacher.username, "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_logout_is_a_post(client, teacher):
    client.force_login(teacher)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_requester_home_lists_their_requests_in_plain_words(teacher, ticket, other_teacher, category):
    someone_elses = factories.TicketFactory(requester=other_teacher, category=category, title="Not mine")
    response = client_for(teacher).get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert ticket.title in html
    assert someone_elses.title not in html
    assert "Received" in html
    assert reverse("ticket-new") in html
    for word in JARGON:
        assert word not in visible_text(response)


def test_campus_contact_home_shows_the_schools_requests(campus_contact, ticket):
    response = client_for(campus_contact).get(reverse("home"))
    assert ticket.title in response.content.decode()


def test_technicians_start_on_today(technician):
    response = client_for(technician).get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("today")


def test_the_director_starts_on_the_dashboard(director):
    response = client_for(director).get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_nav_links_by_role(teacher, technician):
    teacher_html = client_for(teacher).get(reverse("home")).content.decode()
    assert "My requests" in teacher_html and "New request" in teacher_html
    assert ">Tickets<" not in teacher_html
    staff_html = client_for(technician).get(reverse("ticket-list")).content.decode()
    assert ">Tickets<" in staff_html and "My requests" not in staff_html


# --- lists -----------------------------------------------------------------------


def test_anonymous_ticket_list_redirects_to_login(client):
    response = client.get(reverse("ticket-list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_requester_list_shows_only_their_own(teacher, other_teacher, ticket, category):
    factories.TicketFactory(requester=other_teacher, category=category, title="Other teacher's printer")
    response = client_for(teacher).get(reverse("ticket-list"))
    assert response.status_code == 200
    assert list(response.context["tickets"]) == [ticket]
    assert "Other teacher's printer" not in response.content.decode()


@pytest.mark.parametrize(("status", "words"), PLAIN_STATUS.items())
def test_requester_sees_each_status_in_plain_words(status, words, teacher, ticket):
    Ticket.objects.filter(pk=ticket.pk).update(status=status)
    response = client_for(teacher).get(reverse("ticket-list"))
    assert words in response.content.decode()


def test_campus_contact_list_includes_the_schools_tickets(campus_contact, ticket, outside_teacher, category):
    elsewhere = factories.TicketFactory(requester=outside_teacher, category=category)
    response = client_for(campus_contact).get(reverse("ticket-list"))
    assert ticket in response.context["tickets"]
    assert elsewhere not in response.context["tickets"]


@pytest.mark.parametrize("role", ["technician", "director"])
def test_staff_queue_shows_every_ticket_with_priority(role, request, ticket, outside_teacher, category):
    other = factories.TicketFactory(requester=outside_teacher, category=category, impact="high", urgency="high")
    response = client_for(request.getfixturevalue(role)).get(reverse("ticket-list"))
    assert response.status_code == 200
    assert {ticket, other} <= set(response.context["tickets"])
    html = response.content.decode()
    assert "priority-critical" in html and "Critical" in html


def test_queue_filters_by_school_status_and_search(technician, ticket, outside_teacher, category):
    other = factories.TicketFactory(requester=outside_teacher, category=category, title="Wifi drops in gym")
    staff = client_for(technician)
    by_school = staff.get(reverse("ticket-list"), {"school": ticket.school_id})
    assert list(by_school.context["tickets"]) == [ticket]
    by_search = staff.get(reverse("ticket-list"), {"search": "wifi"})
    assert list(by_search.context["tickets"]) == [other]
    services.start_ticket(actor=technician, ticket=other)
    by_status = staff.get(reverse("ticket-list"), {"status": "in_progress"})
    assert list(by_status.context["tickets"]) == [other]


def test_queue_mine_and_unassigned(technician, director, ticket, category, teacher):
    mine = factories.TicketFactory(requester=teacher, category=category)
    theirs = factories.TicketFactory(requester=teacher, category=category)
    services.assign_ticket(actor=technician, ticket=mine, assignee=technician)
    services.assign_ticket(actor=technician, ticket=theirs, assignee=director)
    staff = client_for(technician)
    assert list(staff.get(reverse("ticket-list"), {"mine": "true"}).context["tickets"]) == [mine]
    assert list(staff.get(reverse("ticket-list"), {"unassigned": "true"}).context["tickets"]) == [ticket]
    assert set(staff.get(reverse("ticket-list"), {"assignee": director.pk}).context["tickets"]) == {theirs}


def test_queue_orders_by_priority_and_open_only(technician, teacher, category):
    low = factories.TicketFactory(requester=teacher, category=category, impact="low", urgency="low")
    critical = factories.TicketFactory(requester=teacher, category=category, impact="high", urgency="high")
    done = factories.TicketFactory(requester=teacher, category=category, impact="high", urgency="high")
    services.close_ticket(actor=technician, ticket=done)
    response = client_for(technician).get(reverse("ticket-list"), {"open": "true", "ordering": "-priority"})
    assert list(response.context["tickets"]) == [critical, low]


def test_queue_ignores_bad_filters_without_error(technician, ticket):
    response = client_for(technician).get(
        reverse("ticket-list"), {"school": "abc", "status": "bogus", "ordering": "requester__password"}
    )
    assert response.status_code == 200
    assert "were not understood" in response.content.decode()


@pytest.mark.parametrize("page", ["9999", "abc", "-1", "0"])
def test_odd_page_numbers_are_clamped(page, technician, teacher, ticket):
    for user in (technician, teacher):
        response = client_for(user).get(reverse("ticket-list"), {"page": page})
        assert response.status_code == 200
        assert list(response.context["tickets"]) == [ticket]


def test_queue_paginates_25_per_page_and_keeps_filters(technician, teacher, category):
    for _ in range(26):
        factories.TicketFactory(requester=teacher, category=category)
    staff = client_for(technician)
    first = staff.get(reverse("ticket-list"), {"open": "true"})
    assert len(first.context["tickets"]) == 25
    assert "?open=true&amp;page=2" in first.content.decode()
    second = staff.get(reverse("ticket-list"), {"open": "true", "page": 2})
    assert len(second.context["tickets"]) == 1
    assert not set(first.context["tickets"]) & set(second.context["tickets"])


def _tickets_for(teacher, category, technician, count: int) -> None:
    for n in range(count):
        made = factories.TicketFactory(requester=teacher, category=category)
        if n % 2:
            services.assign_ticket(actor=technician, ticket=made, assignee=technician)


def _count_queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["technician", "teacher"])
def test_list_query_count_does_not_grow_with_tickets(role, request, teacher, technician, category):
    """1 ticket and 50 tickets cost the same queries: session, user, groups, the filter
    form's selects (staff), count, one page of rows with everything joined."""
    user = request.getfixturevalue(role)
    client = client_for(user)
    url = reverse("ticket-list") + "?open=true&ordering=-priority"
    _tickets_for(teacher, category, technician, 1)
    client.get(url)  # warm anything cached per process (content types, etc.)
    one = _count_queries(client, url)
    _tickets_for(teacher, category, technician, 49)
    fifty = _count_queries(client, url)
    assert one == fifty
    assert fifty <= 12


def test_queue_view_exact_query_count(technician, teacher, category, django_assert_num_queries):
    _tickets_for(teacher, category, technician, 50)
    client = client_for(technician)
    client.get(reverse("ticket-list"))
    # session, user, groups, count, page of tickets, and the school, queue, assignee
    # and category selects of the filter form.
    with django_assert_num_queries(9):
        client.get(reverse("ticket-list"))


def test_requester_list_exact_query_count(teacher, technician, category, django_assert_num_queries):
    _tickets_for(teacher, category, technician, 50)
    client = client_for(teacher)
    client.get(reverse("ticket-list"))
    # session, user, groups, count, page of tickets.
    with django_assert_num_queries(5):
        client.get(reverse("ticket-list"))


# --- filing --------------------------------------------------------------------


def test_new_request_form_speaks_plainly(teacher, category):
    out = factories.CategoryFactory(
        in_scope=False, name="Home internet", responsible_party="Your provider", guidance="Call your provider."
    )
    response = client_for(teacher).get(reverse("ticket-new"))
    html = response.content.decode()
    assert response.status_code == 200
    for label in (
        "What&#x27;s wrong?",
        "Tell us what happened",
        "What is it about?",
        "How much does it affect your class?",
        "How soon do you need it?",
        "Do you need it by a date?",
        "Only me — I can work around it",
        "Right now — I&#x27;m stuck",
    ):
        assert label in html
    # Out-of-scope categories are explained, not offered.
    assert f'<option value="{out.pk}"' not in html
    assert f'<option value="{category.pk}"' in html
    assert "Call your provider." in html and "Your provider" in html
    assert "Requester&#x27;s username" not in html
    for word in JARGON:
        assert word not in visible_text(response)


def test_teacher_files_a_request(teacher, category, django_capture_on_commit_callbacks):
    client = client_for(teacher)
    data = filing_data(category, form_token=new_form_token(client), asset_tag="JES-1234")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ticket-new"), data, follow=True)
    ticket = Ticket.objects.get()
    assert response.redirect_chain[-1][0] == reverse("ticket-detail", args=[ticket.pk])
    assert f"We got it — request #{ticket.pk}." in messages_of(response)
    assert (ticket.requester, ticket.school, ticket.priority) == (teacher, teacher.profile.school, "high")
    assert ticket.asset_tag == "JES-1234"


def test_double_submit_files_one_ticket(teacher, category):
    client = client_for(teacher)
    data = filing_data(category, form_token=new_form_token(client))
    first = client.post(reverse("ticket-new"), data)
    second = client.post(reverse("ticket-new"), data, follow=True)
    ticket = Ticket.objects.get()
    assert first.url == reverse("ticket-detail", args=[ticket.pk])
    assert second.redirect_chain[-1][0] == reverse("ticket-detail", args=[ticket.pk])
    assert f"We already got this one — request #{ticket.pk}." in messages_of(second)


def test_form_without_an_issued_token_is_refused(teacher, category):
    client = client_for(teacher)
    new_form_token(client)
    response = client.post(reverse("ticket-new"), filing_data(category, form_token="f" * 32))
    assert response.status_code == 200
    assert "This form is out of date." in response.content.decode()
    assert not Ticket.objects.exists()
    # The re-shown form carries a fresh token that works.
    fresh = response.context["form"].data["form_token"]
    assert client.post(reverse("ticket-new"), filing_data(category, form_token=fresh)).status_code == 302
    assert Ticket.objects.count() == 1


def test_two_forms_in_two_tabs_both_file(teacher, category):
    client = client_for(teacher)
    first, second = new_form_token(client), new_form_token(client)
    client.post(reverse("ticket-new"), filing_data(category, form_token=first, title="One"))
    client.post(reverse("ticket-new"), filing_data(category, form_token=second, title="Two"))
    assert set(Ticket.objects.values_list("title", flat=True)) == {"One", "Two"}


def test_out_of_scope_category_is_refused_with_its_guidance(teacher):
    out = factories.CategoryFactory(in_scope=False, guidance="Call your internet provider; we cannot help at home.")
    client = client_for(teacher)
    response = client.post(reverse("ticket-new"), filing_data(out, form_token=new_form_token(client)))
    assert response.status_code == 200
    assert "Call your internet provider; we cannot help at home." in response.context["form"].errors["category"]
    assert not Ticket.objects.exists()


def test_missing_fields_and_oversized_input_are_form_errors(teacher, category):
    client = client_for(teacher)
    token = new_form_token(client)
    response = client.post(reverse("ticket-new"), {"form_token": token})
    assert response.status_code == 200
    assert {"title", "description", "category", "impact", "urgency"} <= set(response.context["form"].errors)
    huge = filing_data(
        category, form_token=token, title="x" * 5000, description="y" * 30000, asset_tag="z" * 500, impact="extreme"
    )
    response = client.post(reverse("ticket-new"), huge)
    assert response.status_code == 200
    assert {"title", "description", "asset_tag", "impact"} <= set(response.context["form"].errors)
    assert not Ticket.objects.exists()


def test_needed_by_in_the_past_is_refused(teacher, category):
    client = client_for(teacher)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(
        reverse("ticket-new"), filing_data(category, form_token=new_form_token(client), needed_by=yesterday)
    )
    assert "needed_by" in response.context["form"].errors


def test_requester_without_a_school_gets_a_form_error(category):
    homeless = factories.UserFactory()
    client = client_for(homeless)
    response = client.post(reverse("ticket-new"), filing_data(category, form_token=new_form_token(client)))
    assert response.status_code == 200
    assert "Choose the school this is for." in response.context["form"].non_field_errors()


def test_requester_cannot_file_for_someone_else(teacher, other_teacher, category):
    client = client_for(teacher)
    data = filing_data(category, form_token=new_form_token(client), requester=other_teacher.username)
    client.post(reverse("ticket-new"), data)
    assert Ticket.objects.get().requester == teacher


def test_technician_files_on_behalf_of_a_teacher(technician, teacher, category):
    client = client_for(technician)
    page = client.get(reverse("ticket-new"))
    assert "Requester&#x27;s username or email" in page.content.decode()
    data = filing_data(category, form_token=page.context["form"].initial["form_token"], requester=teacher.email)
    response = client.post(reverse("ticket-new"), data)
    ticket = Ticket.objects.get()
    assert response.url == reverse("ticket-detail", args=[ticket.pk])
    assert (ticket.requester, ticket.school) == (teacher, teacher.profile.school)


def test_technician_filing_for_an_unknown_person_gets_a_form_error(technician, category):
    client = client_for(technician)
    response = client.post(
        reverse("ticket-new"), filing_data(category, form_token=new_form_token(client), requester="nobody-here")
    )
    assert "requester" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_anonymous_cannot_file(client, category):
    response = client.post(reverse("ticket-new"), filing_data(category, form_token="x"))
    assert response.status_code == 302
    assert not Ticket.objects.exists()


# --- the ticket page -----------------------------------------------------------


def test_requester_sees_their_ticket_in_plain_words(teacher, ticket):
    response = client_for(teacher).get(reverse("ticket-detail", args=[ticket.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert ticket.title in html and ticket.description in html and ticket.school.name in html
    assert "Received" in html
    assert "sent the request" in html  # the history, in words
    assert "Requester" not in html  # no staff side panel
    for word in JARGON:
        assert word not in visible_text(response)


def test_other_requester_gets_404(other_teacher, outside_teacher, ticket):
    for user in (other_teacher, outside_teacher):
        assert client_for(user).get(reverse("ticket-detail", args=[ticket.pk])).status_code == 404


def test_campus_contact_sees_the_schools_ticket(campus_contact, ticket):
    assert client_for(campus_contact).get(reverse("ticket-detail", args=[ticket.pk])).status_code == 200


def test_anonymous_ticket_page_redirects_to_login(client, ticket):
    response = client.get(reverse("ticket-detail", args=[ticket.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("pk", [999999, 2**63, 10**30])
def test_unknown_ticket_ids_are_404(pk, technician):
    assert client_for(technician).get(f"/tickets/{pk}/").status_code == 404
    assert client_for(technician).post(f"/tickets/{pk}/start/").status_code == 404


@pytest.mark.parametrize("role", ["technician", "director"])
def test_staff_ticket_page_has_side_panel_and_actions(role, request, teacher, ticket, category):
    teacher.profile.room = "Room 12"
    teacher.profile.phone = "555-0101"
    teacher.profile.tech_comfort = "new"
    teacher.profile.save()
    earlier = factories.TicketFactory(requester=teacher, category=category, title="Earlier printer jam")
    tech = factories.TechnicianFactory()
    services.resolve_ticket(actor=tech, ticket=earlier, resolution="Cleared the paper path.")
    response = client_for(request.getfixturevalue(role)).get(reverse("ticket-detail", args=[ticket.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Room 12" in html and "555-0101" in html and "New to this" in html
    assert "Earlier printer jam" in html and "Cleared the paper path." in html
    for action in ("assign", "start", "wait", "resolve", "close"):
        assert reverse(f"ticket-{action}", args=[ticket.pk]) in html
    assert reverse("ticket-reopen", args=[ticket.pk]) not in html
    assert f'name="version" value="{ticket.version}"' in html
    assert "Internal note (only staff see it)" in html


def test_detail_query_count_does_not_grow_with_conversation(technician, ticket, django_assert_max_num_queries):
    client = client_for(technician)
    url = reverse("ticket-detail", args=[ticket.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(10):
        services.add_comment(actor=technician, ticket=ticket, body=f"Note {n}", internal=bool(n % 2))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)


# --- actions -------------------------------------------------------------------


def test_action_urls_refuse_get(technician, ticket):
    client = client_for(technician)
    for action in ("assign", "start", "wait", "resolve", "close", "reopen", "comment", "update"):
        assert client.get(reverse(f"ticket-{action}", args=[ticket.pk])).status_code == 405


def test_technician_assigns_starts_waits_and_resolves(technician, director, ticket):
    client = client_for(technician)
    url = lambda action: reverse(f"ticket-{action}", args=[ticket.pk])  # noqa: E731

    response = client.post(url("assign"), {"assignee": director.pk}, follow=True)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee) == ("assigned", director)
    assert any("Assigned to" in m for m in messages_of(response))

    client.post(url("start"))
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"

    client.post(url("wait"), {"reason": "Waiting for a new lamp"})
    ticket.refresh_from_db()
    assert ticket.status == "waiting"

    client.post(url("resolve"), {"resolution": "Replaced the lamp.", "self_help": "Check the power strip."})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.resolution, ticket.self_help) == (
        "resolved",
        "Replaced the lamp.",
        "Check the power strip.",
    )


def test_technician_closes_and_reopens(technician, ticket):
    client = client_for(technician)
    client.post(reverse("ticket-close", args=[ticket.pk]), {"reason": "Duplicate"})
    ticket.refresh_from_db()
    assert ticket.status == "closed"
    client.post(reverse("ticket-reopen", args=[ticket.pk]), {"reason": "Not a duplicate after all"})
    ticket.refresh_from_db()
    assert ticket.status == "assigned"


def test_refused_transition_shows_a_message_and_changes_nothing(technician, ticket):
    services.close_ticket(actor=technician, ticket=ticket)
    ticket.refresh_from_db()
    before = (ticket.status, ticket.version, ticket.events.count())
    response = client_for(technician).post(
        reverse("ticket-resolve", args=[ticket.pk]), {"resolution": "Fixed"}, follow=True
    )
    ticket.refresh_from_db()
    assert response.status_code == 200
    assert "A ticket that is closed cannot be resolved." in messages_of(response)
    assert (ticket.status, ticket.version, ticket.events.count()) == before


def test_assigning_to_a_teacher_is_a_form_error(technician, teacher, ticket):
    response = client_for(technician).post(reverse("ticket-assign", args=[ticket.pk]), {"assignee": teacher.pk})
    ticket.refresh_from_db()
    assert response.status_code == 200
    assert "assignee" in response.context["assign_form"].errors
    assert ticket.status == "new" and ticket.assignee is None


def test_wait_without_a_reason_is_a_form_error(technician, ticket):
    response = client_for(technician).post(reverse("ticket-wait", args=[ticket.pk]), {"reason": ""})
    ticket.refresh_from_db()
    assert response.status_code == 200
    assert "reason" in response.context["wait_form"].errors
    assert ticket.status == "new"


def test_requester_cannot_use_staff_actions(teacher, technician, ticket):
    client = client_for(teacher)
    response = client.post(reverse("ticket-start", args=[ticket.pk]), follow=True)
    assert "Only the help desk team can do that." in messages_of(response)
    client.post(reverse("ticket-assign", args=[ticket.pk]), {"assignee": technician.pk})
    client.post(reverse("ticket-update", args=[ticket.pk]), {"impact": "high"})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee, ticket.impact) == ("new", None, "medium")


def test_other_requester_actions_are_404(other_teacher, resolved_ticket):
    client = client_for(other_teacher)
    assert client.post(reverse("ticket-close", args=[resolved_ticket.pk])).status_code == 404
    assert client.post(reverse("ticket-comment", args=[resolved_ticket.pk]), {"body": "hi"}).status_code == 404
    resolved_ticket.refresh_from_db()
    assert resolved_ticket.status == "resolved"


def test_requester_sees_the_fix_and_confirms_it(teacher, resolved_ticket):
    client = client_for(teacher)
    page = client.get(reverse("ticket-detail", args=[resolved_ticket.pk])).content.decode()
    assert "Fixed — please confirm" in page
    assert "Replaced the lamp." in page and "Check the power strip first." in page
    assert "Yes, it's fixed" in page and "No, it's still broken" in page
    response = client.post(reverse("ticket-close", args=[resolved_ticket.pk]), follow=True)
    resolved_ticket.refresh_from_db()
    assert resolved_ticket.status == "closed"
    assert "Thanks for confirming. This request is closed." in messages_of(response)
    assert resolved_ticket.events.filter(kind="closed", data__confirmed_by_requester=True).exists()


def test_requester_reopens_with_a_reason(teacher, resolved_ticket):
    client = client_for(teacher)
    empty = client.post(reverse("ticket-reopen", args=[resolved_ticket.pk]), {"reason": ""})
    assert "reason" in empty.context["reopen_form"].errors
    client.post(reverse("ticket-reopen", args=[resolved_ticket.pk]), {"reason": "Still flickers"})
    resolved_ticket.refresh_from_db()
    assert resolved_ticket.status == "assigned"


def test_requester_cannot_reopen_a_closed_ticket(teacher, technician, resolved_ticket):
    services.close_ticket(actor=technician, ticket=resolved_ticket)
    response = client_for(teacher).post(
        reverse("ticket-reopen", args=[resolved_ticket.pk]), {"reason": "again"}, follow=True
    )
    resolved_ticket.refresh_from_db()
    assert resolved_ticket.status == "closed"
    assert messages_of(response)


# --- conversation ----------------------------------------------------------------


def test_replies_and_internal_notes(teacher, technician, ticket):
    staff = client_for(technician)
    staff.post(reverse("ticket-comment", args=[ticket.pk]), {"body": "Can you send the asset tag?"})
    staff.post(reverse("ticket-comment", args=[ticket.pk]), {"body": "Lamp is EOL, order one", "internal": "on"})
    client_for(teacher).post(reverse("ticket-comment", args=[ticket.pk]), {"body": "It is JES-42"})
    assert Comment.objects.filter(ticket=ticket).count() == 3

    teacher_page = client_for(teacher).get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
    assert "Can you send the asset tag?" in teacher_page and "It is JES-42" in teacher_page
    assert "Lamp is EOL" not in teacher_page
    assert "internal note" not in teacher_page.lower()

    staff_page = staff.get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
    assert "Lamp is EOL, order one" in staff_page
    assert "Internal note — staff only" in staff_page


def test_requester_cannot_post_an_internal_note(teacher, ticket):
    response = client_for(teacher).post(
        reverse("ticket-comment", args=[ticket.pk]), {"body": "sneaky", "internal": "on"}, follow=True
    )
    assert not Comment.objects.exists()
    assert "Only the help desk team can write internal notes." in messages_of(response)


def test_empty_or_oversized_comment_is_a_form_error(teacher, ticket):
    client = client_for(teacher)
    for body in ("", "x" * 20001):
        response = client.post(reverse("ticket-comment", args=[ticket.pk]), {"body": body})
        assert response.status_code == 200
        assert "body" in response.context["comment_form"].errors
    assert not Comment.objects.exists()


# --- triage ----------------------------------------------------------------------


def test_triage_updates_the_ticket(technician, ticket, category):
    other = factories.CategoryFactory()
    response = client_for(technician).post(
        reverse("ticket-update", args=[ticket.pk]),
        {
            "category": other.pk,
            "impact": "high",
            "urgency": "high",
            "service_mode": "on_site",
            "asset_tag": "A-1",
            "needed_by": "",
            "school": ticket.school_id,
            "version": ticket.version,
        },
        follow=True,
    )
    ticket.refresh_from_db()
    assert "Details saved." in messages_of(response)
    assert (ticket.category, ticket.priority, ticket.service_mode, ticket.asset_tag) == (
        other,
        "critical",
        "on_site",
        "A-1",
    )


def test_triage_from_a_stale_page_overwrites_nothing(technician, ticket):
    stale_version = ticket.version
    services.update_ticket(actor=technician, ticket=ticket, changes={"asset_tag": "FIRST"})
    response = client_for(technician).post(
        reverse("ticket-update", args=[ticket.pk]),
        {
            "category": ticket.category_id,
            "impact": "low",
            "urgency": "low",
            "service_mode": "",
            "asset_tag": "SECOND",
            "needed_by": "",
            "school": ticket.school_id,
            "version": stale_version,
        },
        follow=True,
    )
    ticket.refresh_from_db()
    assert ticket.asset_tag == "FIRST" and ticket.impact == "medium"
    assert any("Someone else changed this ticket" in m for m in messages_of(response))


def test_triage_with_bad_input_is_a_form_error(technician, ticket):
    response = client_for(technician).post(
        reverse("ticket-update", args=[ticket.pk]), {"impact": "enormous", "version": "x"}
    )
    assert response.status_code == 200
    assert {"impact", "version", "category"} <= set(response.context["triage_form"].errors)


# --- hostile input ----------------------------------------------------------------


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_is_escaped_everywhere(payload, teacher, technician, category):
    ticket = factories.TicketFactory(requester=teacher, category=category, title=payload, description=payload)
    services.add_comment(actor=technician, ticket=ticket, body=payload)
    services.wait_ticket(actor=technician, ticket=ticket, reason=payload)
    pages = [
        client_for(teacher).get(reverse("home")),
        client_for(teacher).get(reverse("ticket-list")),
        client_for(teacher).get(reverse("ticket-detail", args=[ticket.pk])),
        client_for(technician).get(reverse("ticket-list")),
        client_for(technician).get(reverse("ticket-detail", args=[ticket.pk])),
        client_for(technician).get(reverse("ticket-list"), {"search": payload}),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert payload not in html
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[2].content.decode() or "&quot;&gt;&lt;img" in (
        pages[2].content.decode()
    )


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_through_the_form_is_stored_as_text_and_escaped(payload, teacher, category):
    client = client_for(teacher)
    client.post(
        reverse("ticket-new"),
        filing_data(category, form_token=new_form_token(client), title=payload, description=payload),
    )
    ticket = Ticket.objects.get()
    assert ticket.title == payload
    html = client.get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
    assert payload not in html


# --- support and admin -------------------------------------------------------------


def test_support_page_is_public_and_complete(client):
    factories.CategoryFactory(name="Home internet", in_scope=False, responsible_party="Your internet provider")
    response = client.get(reverse("support"))
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Monday to Friday, 7:30 AM to 4:30 PM, on school days",
        "Times count working hours (Monday to Friday, 7:30 AM to 4:30 PM, school days)",
        "summer",
        "Personal phones",
        "Home internet",
        "Your internet provider",
        "30 minutes",
        "4 working hours",
        "8 working hours",
        "2 working days",
        "5 working days",
    ):
        assert text in html


def test_support_page_hours_come_from_the_district_calendar(client, director):
    from schools.services import update_calendar

    update_calendar(
        actor=director,
        changes={
            "weekly_hours": {str(day): ["08:00", "15:45"] for day in range(1, 5)} | {"5": ["08:00", "12:00"]},
            "summer_start": date(2027, 6, 10),
            "summer_end": date(2027, 8, 1),
            "summer_hours": {str(day): ["09:00", "13:00"] for day in range(1, 5)},
        },
    )
    html = client.get(reverse("support")).content.decode()
    assert "Monday to Thursday, 8:00 AM to 3:45 PM; Friday, 8:00 AM to 12:00 PM, on school days" in html
    assert "Summer hours: Monday to Thursday, 9:00 AM to 1:00 PM." in html
    assert "7:30" not in html
    # 24-hour times in Spanish, from the same locale formats.
    spanish = client.get(reverse("support"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "de 8:00 a 15:45" in spanish and "PM" not in spanish
    spanish = client.get(reverse("support"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "De lunes a jueves, de 8:00 a 15:45; viernes, de 8:00 a 12:00, en días de clase" in spanish


def test_support_page_shows_what_the_director_saved(client, settings):
    """Targets from the SLA targets page, the after-hours and summer policy from the calendar,
    and whom to call when signing in fails."""
    from schools.models import DistrictCalendar
    from tickets.models import SlaTarget

    SlaTarget.objects.filter(priority="critical").update(response_value=15, response_unit="minutes")
    SlaTarget.objects.filter(priority="low").update(resolution_value=1, resolution_unit="days")
    DistrictCalendar.objects.update_or_create(
        pk=1,
        defaults={
            "after_hours_policy": "Text the on-call line at 555-0199 for emergencies.",
            "summer_policy": "Closed Fridays in July.",
        },
    )
    settings.HELPDESK_CONTACT_PHONE = "(555) 010-2222"
    settings.HELPDESK_CONTACT_EMAIL = "signin@district.example"
    html = client.get(reverse("support")).content.decode()
    critical = html.split('data-label="Priority">Critical</th>')[1].split("</tr>")[0]
    assert "15 minutes" in critical and "30 minutes" not in critical
    low = html.split('data-label="Priority">Low</th>')[1].split("</tr>")[0]
    assert "1 working day<" in low
    assert "Text the on-call line at 555-0199 for emergencies." in html
    assert "Closed Fridays in July." in html
    assert "Can&#x27;t sign in?" in html or "Can't sign in?" in html
    assert 'href="tel:5550102222">(555) 010-2222</a>' in html
    assert 'href="mailto:signin@district.example"' in html


def test_admin_lists_tickets_and_events_are_read_only(ticket):
    admin_user = factories.UserFactory(is_staff=True, is_superuser=True)
    client = client_for(admin_user)
    assert client.get("/admin/tickets/ticket/").status_code == 200
    assert client.get(f"/admin/tickets/ticket/{ticket.pk}/change/").status_code == 200
    assert client.get("/admin/tickets/ticketevent/").status_code == 200
    assert client.get("/admin/tickets/ticketevent/add/").status_code == 403
    event = TicketEvent.objects.filter(ticket=ticket).first()
    assert client.post(f"/admin/tickets/ticketevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert TicketEvent.objects.filter(pk=event.pk).exists()
    assert client.get("/admin/notifications/outboundemail/").status_code == 200


# --- files with a new request ------------------------------------------------------------

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_request_can_bring_a_screenshot(teacher, category, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = client_for(teacher)
    data = filing_data(category, form_token=new_form_token(client))
    data["files"] = [SimpleUploadedFile("screen.png", PNG_BYTES, content_type="image/png")]
    response = client.post(reverse("ticket-new"), data)
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert [a.original_name for a in ticket.attachments.all()] == ["screen.png"]


def test_a_bad_file_refuses_the_request_with_a_message_and_saves_nothing(teacher, category, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = client_for(teacher)
    data = filing_data(category, form_token=new_form_token(client))
    data["files"] = [SimpleUploadedFile("evil.svg", b"<svg onload=alert(1)>", content_type="image/svg+xml")]
    response = client.post(reverse("ticket-new"), data)
    assert response.status_code == 200
    assert "PNG" in response.content.decode()
    assert not Ticket.objects.exists()


def test_a_request_says_whose_device_it_is(teacher, category):
    client = client_for(teacher)
    data = filing_data(category, form_token=new_form_token(client), device_owner="personal")
    assert client.post(reverse("ticket-new"), data).status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.device_owner == "personal"
    page = client.get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
    assert "what we help with on personal devices" in page


def test_staff_can_correct_the_device_owner(ticket, technician):
    client = client_for(technician)
    data = {
        "category": ticket.category_id, "impact": ticket.impact, "urgency": ticket.urgency, "service_mode": "",
        "asset_tag": "", "device_owner": "district", "needed_by": "", "school": ticket.school_id,
        "version": ticket.version,
    }  # fmt: skip
    assert client.post(reverse("ticket-update", args=[ticket.pk]), data).status_code == 302
    ticket.refresh_from_db()
    assert ticket.device_owner == "district"
    assert ticket.events.filter(kind="updated", data__changes__device_owner=["", "district"]).exists()


def test_support_policies_read_in_spanish_with_english_when_empty(client, director):
    from schools.services import update_calendar

    update_calendar(
        actor=director,
        changes={
            "after_hours_policy": "Call the office.",
            "after_hours_policy_es": "Llame a la oficina.",
            "summer_policy": "Shorter hours.",
            "summer_policy_es": "",
        },
    )
    spanish = client.get(reverse("support"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Llame a la oficina." in spanish and "Call the office." not in spanish
    assert "Shorter hours." in spanish  # no Spanish text: the English one
    english = client.get(reverse("support"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Call the office." in english and "Llame a la oficina." not in english
