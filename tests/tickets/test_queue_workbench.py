"""The queue page as a workbench (issue 19): views with counts, filters that swap the results
region for htmx, bulk actions on selected rows, saved views personal and shared."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schools.models import Rotation
from tests import factories
from tickets import queue_views, services
from tickets.models import SavedView, Ticket

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "queue-results"}


def rows(response) -> list[int]:
    return [ticket.pk for ticket in response.context["tickets"]]


def tabs(response) -> dict[str, int | None]:
    return {tab.name: tab.count for tab in response.context["view_tabs"]}


@pytest.fixture
def day(technician, teacher, category, school):
    """A technician's morning: work of theirs, of nobody at their school and elsewhere, one due, one on a part."""
    Rotation.objects.create(technician=technician, school=school, weekdays=[1, 2, 3, 4, 5], start_date="2020-01-01")
    elsewhere = factories.UserFactory(profile__school=factories.SchoolFactory())  # a teacher at another school
    made = {
        name: factories.TicketFactory(requester=requester, category=category, title=name)
        for name, requester in (
            ("mine", teacher),
            ("nobodys here", teacher),
            ("nobodys elsewhere", elsewhere),
            ("due", teacher),
            ("on a part", teacher),
            ("closed", teacher),
        )
    }
    Ticket.objects.filter(pk__in=[t.pk for t in made.values()]).update(assignee=None, resolution_due_at=None)
    for name in ("mine", "due", "on a part", "closed"):
        services.assign_ticket(actor=technician, ticket=made[name], assignee=technician)
    Ticket.objects.filter(pk=made["due"].pk).update(resolution_due_at=timezone.now() + timedelta(hours=1))
    services.wait_ticket(actor=technician, ticket=made["on a part"], reason="New lamp ordered", on="third_party")
    services.close_ticket(actor=technician, ticket=made["closed"])
    return made


def test_each_built_in_view_counts_the_rows_its_link_shows(client, technician, day):
    client.force_login(technician)
    response = client.get(reverse("ticket-list"))
    expected = {
        "My open": {day["mine"].pk, day["due"].pk, day["on a part"].pk},
        "Unassigned at my schools": {day["nobodys here"].pk},
        "Due today": {day["due"].pk},
        "Waiting on a part": {day["on a part"].pk},
    }
    counts = tabs(response)
    for tab in response.context["view_tabs"]:
        shown = client.get(reverse("ticket-list") + "?" + tab.query)
        assert set(rows(shown)) == expected[tab.name], tab.name
        assert counts[tab.name] == len(expected[tab.name]), tab.name
        assert shown.context["current_view"] == tab


def test_view_counts_take_the_same_queries_however_many_views(client, technician, director, day, school, category):
    client.force_login(technician)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("ticket-list"), {"open": "true"}).status_code == 200
        return len(captured)

    SavedView.objects.create(
        owner=technician, name="Mine, urgent first", query="mine=true&open=true&ordering=-priority"
    )
    one = queries()
    for n in range(6):
        SavedView.objects.create(owner=director, shared=True, name=f"Team view {n}", query=f"open=true&search={n}")
        SavedView.objects.create(
            owner=technician,
            name=f"At school {n}",
            query=f"open=true&school={school.pk}&category={category.pk}&assignee={technician.pk}",
        )
    SavedView.objects.create(owner=technician, name="Archive", query="open=false")
    assert queries() == one


def test_saved_view_counts_match_their_rows_and_archive_views_are_not_counted(client, technician, day, school):
    client.force_login(technician)
    SavedView.objects.create(owner=technician, name="On hold", query="status=waiting")
    SavedView.objects.create(owner=technician, name="Archive", query="open=false")
    SavedView.objects.create(owner=technician, name="Mine here", query=f"open=true&school={school.pk}&mine=true")
    SavedView.objects.create(owner=technician, name="Found", query="open=true&search=nobodys")
    counts = tabs(client.get(reverse("ticket-list")))
    assert counts["On hold"] == 1
    assert counts["Mine here"] == 3
    assert counts["Found"] == 2
    assert counts["Archive"] is None


def test_an_htmx_request_gets_the_results_region_and_the_views_alone(client, technician, day):
    client.force_login(technician)
    response = client.get(reverse("ticket-list"), {"search": "due"}, **HTMX)
    page = response.content.decode()
    assert response.templates[0].name == "tickets/_queue_results.html"
    assert "<html" not in page and 'id="queue-results"' in page
    assert 'id="queue-views" class="queue-views mb-3"' in page and 'hx-swap-oob="true"' in page
    assert rows(response) == [day["due"].pk]


def test_without_javascript_the_page_has_the_filter_button_and_the_bulk_form(client, technician, day):
    client.force_login(technician)
    page = client.get(reverse("ticket-list")).content.decode()
    assert 'hx-get="/tickets/"' in page and ">Filter</button>" in page
    assert f'action="{reverse("ticket-bulk")}"' in page
    assert f'name="ids" value="{day["mine"].pk}" form="bulk-form"' in page
    for action in ("assign", "start", "wait", "resolve", "close"):
        assert f'name="action" value="{action}"' in page


# --- bulk actions ---------------------------------------------------------------------------


def test_bulk_assign_from_the_page_assigns_each_and_keeps_the_view(client, technician, teacher, category):
    colleague = factories.TechnicianFactory()
    tickets = [factories.TicketFactory(requester=teacher, category=category) for _ in range(3)]
    client.force_login(technician)
    response = client.post(
        reverse("ticket-bulk"),
        {
            "ids": [t.pk for t in tickets],
            "action": "assign",
            "assignee": colleague.pk,
            "next": "open=true&ordering=-priority&page=3",
        },
        follow=True,
    )
    assert {t.assignee_id for t in Ticket.objects.filter(pk__in=[t.pk for t in tickets])} == {colleague.pk}
    assert "3 assigned." in response.content.decode()
    url = urlsplit(response.redirect_chain[-1][0])
    assert url.path == reverse("ticket-list")
    assert parse_qs(url.query) == {"open": ["true"], "ordering": ["-priority"]}


def test_bulk_resolve_reports_each_refusal_in_plain_words(client, technician, teacher, category):
    done, closed = (factories.TicketFactory(requester=teacher, category=category) for _ in range(2))
    services.assign_ticket(actor=technician, ticket=closed, assignee=technician)
    services.close_ticket(actor=technician, ticket=closed)
    client.force_login(technician)
    response = client.post(
        reverse("ticket-bulk"),
        {
            "ids": [done.pk, closed.pk, 999999],
            "action": "resolve",
            "resolution": "Reset the projector's lamp timer.",
            "self_help": "Hold Menu for ten seconds.",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "1 resolved; " in page
    assert f"#{closed.pk} could not be resolved: A ticket that is closed cannot be resolved" in page
    assert "#999999 could not be resolved: it was not found." in page
    done.refresh_from_db()
    assert done.status == Ticket.Status.RESOLVED and done.self_help == "Hold Menu for ten seconds."


def test_bulk_wait_on_a_third_party_uses_the_same_rule_as_the_api(client, technician, ticket):
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    client.force_login(technician)
    client.post(
        reverse("ticket-bulk"),
        {"ids": [ticket.pk], "action": "wait", "on": "third_party", "wait_reason": "Part on order"},
    )
    ticket.refresh_from_db()
    assert (ticket.status, ticket.waiting_on) == (Ticket.Status.WAITING, "third_party")


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"action": "start"}, "Select at least one ticket first."),
        ({"action": "assign", "assignee": ""}, "Choose whom to assign them to."),
        ({"action": "resolve", "resolution": "  "}, "This field is required."),
    ],
)
def test_a_bulk_form_missing_what_its_action_needs_changes_nothing(client, technician, ticket, posted, message):
    client.force_login(technician)
    data = {"ids": [ticket.pk], **posted} if posted.get("action") != "start" else posted
    response = client.post(reverse("ticket-bulk"), data, follow=True)
    assert message in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW


def test_a_requester_cannot_post_to_the_bulk_bar(client, teacher, ticket):
    client.force_login(teacher)
    response = client.post(reverse("ticket-bulk"), {"ids": [ticket.pk], "action": "close"})
    assert response.status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW


# --- saved views ----------------------------------------------------------------------------


def test_a_technician_saves_the_current_filters_as_a_view(client, technician):
    client.force_login(technician)
    response = client.post(
        reverse("ticket-view-save"), {"name": "Urgent", "query": "priority=critical&page=2&bogus=1&open=true"}
    )
    view = SavedView.objects.get()
    assert (view.owner, view.shared, view.query) == (technician, False, "open=true&priority=critical")
    assert response.url == reverse("ticket-list") + "?open=true&priority=critical"
    # Saving the same name again replaces the filters rather than adding a second view.
    client.post(reverse("ticket-view-save"), {"name": "Urgent", "query": "priority=high", "shared": "true"})
    assert list(SavedView.objects.values_list("query", "shared")) == [("priority=high", True)]


def test_shared_views_show_to_the_team_and_only_the_owner_or_a_director_removes_them(client, technician, director):
    colleague = factories.TechnicianFactory()
    shared = SavedView.objects.create(owner=colleague, name="Network", query="open=true", shared=True)
    private = SavedView.objects.create(owner=colleague, name="Private", query="open=true")
    client.force_login(technician)
    names = [tab.name for tab in client.get(reverse("ticket-list")).context["view_tabs"]]
    assert "Network" in names and "Private" not in names
    assert client.post(reverse("ticket-view-delete", args=[private.pk])).status_code == 404
    response = client.post(reverse("ticket-view-delete", args=[shared.pk]), follow=True)
    assert "Only its owner or a director can remove this view." in response.content.decode()
    assert SavedView.objects.filter(pk=shared.pk).exists()
    client.force_login(director)
    client.post(reverse("ticket-view-delete", args=[shared.pk]))
    assert not SavedView.objects.filter(pk=shared.pk).exists()


def test_a_view_needs_a_name(technician):
    from django.http import QueryDict

    from tickets.errors import DomainError

    with pytest.raises(DomainError, match="Give the view a name"):
        queue_views.save_view(actor=technician, name="  ", query=QueryDict("open=true"))


def test_a_requester_cannot_save_views(client, teacher):
    client.force_login(teacher)
    assert client.post(reverse("ticket-view-save"), {"name": "x", "query": ""}).status_code == 404
    assert not SavedView.objects.exists()


def test_a_technician_renames_their_view_and_its_filters_stay(client, technician):
    view = SavedView.objects.create(owner=technician, name="Urgent", query="open=true&priority=critical")
    client.force_login(technician)
    page = client.get(reverse("ticket-list")).content.decode()
    assert f'action="{reverse("ticket-view-rename", args=[view.pk])}"' in page
    assert 'aria-label="Rename the view Urgent"' in page
    response = client.post(reverse("ticket-view-rename", args=[view.pk]), {"name": "  Critical now "}, follow=True)
    view.refresh_from_db()
    assert (view.name, view.query, view.shared) == ("Critical now", "open=true&priority=critical", False)
    assert "Renamed the view “Urgent” to “Critical now”." in response.content.decode()
    assert response.redirect_chain[-1][0].endswith("?open=true&priority=critical")


@pytest.mark.parametrize(
    ("name", "message"),
    [("   ", "Give the view a name."), ("Mine", "There is already a view called “Mine”."), ("a\x00b", "Use letters")],
)
def test_a_rename_the_service_refuses_says_why_and_changes_nothing(client, technician, name, message):
    SavedView.objects.create(owner=technician, name="Mine", query="open=true")
    view = SavedView.objects.create(owner=technician, name="Urgent", query="priority=critical")
    client.force_login(technician)
    response = client.post(reverse("ticket-view-rename", args=[view.pk]), {"name": name}, follow=True)
    assert response.status_code == 200 and message in response.content.decode()
    view.refresh_from_db()
    assert view.name == "Urgent"


def test_only_the_owner_or_a_director_renames_a_shared_view(client, technician, director):
    colleague = factories.TechnicianFactory()
    shared = SavedView.objects.create(owner=colleague, name="Team", query="open=true", shared=True)
    private = SavedView.objects.create(owner=colleague, name="Private", query="open=true")
    client.force_login(technician)
    assert 'aria-label="Rename the view Team"' not in client.get(reverse("ticket-list")).content.decode()
    assert client.post(reverse("ticket-view-rename", args=[private.pk]), {"name": "Mine now"}).status_code == 404
    response = client.post(reverse("ticket-view-rename", args=[shared.pk]), {"name": "Mine now"}, follow=True)
    assert "Only its owner or a director can rename this view." in response.content.decode()
    client.force_login(director)
    client.post(reverse("ticket-view-rename", args=[shared.pk]), {"name": "Team (all schools)"})
    shared.refresh_from_db()
    assert (shared.name, shared.owner) == ("Team (all schools)", colleague)


def test_renaming_is_post_only_and_staff_only(client, technician, teacher):
    view = SavedView.objects.create(owner=technician, name="Urgent", query="open=true")
    client.force_login(technician)
    assert client.get(reverse("ticket-view-rename", args=[view.pk])).status_code == 405
    client.force_login(teacher)
    assert client.post(reverse("ticket-view-rename", args=[view.pk]), {"name": "Hijacked"}).status_code == 404
    view.refresh_from_db()
    assert view.name == "Urgent"
