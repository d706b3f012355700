"""The dashboard's lower sections: the lowest schools and their recurring problems, the charts, a drill-down."""
# ruff: noqa: F811 - the shared fixtures of test_metrics and dashboard_helpers are imported by name, then requested as arguments

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys import metrics
from surveys.dashboard import rollup
from tests import factories
from tests.surveys.dashboard_helpers import WEEK_QUERY, closed_week, signed_in  # noqa: F401 - fixtures
from tests.surveys.test_metrics import FRIDAY, MONDAY, at, make, survey  # noqa: F401 - fixtures
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_lowest_scoring_schools_and_their_recurring_problems(client, director, make):
    good, poor, few = (factories.SchoolFactory(name=n) for n in ("Good Elementary", "Poor Middle", "Few High"))
    for school, qualities in ((good, (5, 5, 5, 5, 4)), (poor, (1, 2, 5, 5, 3)), (few, (1,))):
        for quality in qualities:
            ticket = make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11), school=school)
            Ticket.objects.filter(pk=ticket.pk).update(title="Smartboard pen lost again")
            survey(ticket, quality=quality, timeliness=quality)
    rollup.rebuild_daily_stats(MONDAY, FRIDAY)
    context = signed_in(client, director).get(reverse("dashboard"), WEEK_QUERY).context
    # "Few High" has one answer only: too few to rank.
    assert [row["name"] for row in context["lowest_schools"]] == ["Poor Middle", "Good Elementary"]
    poor_item = next(item for item in context["recurring"] if item["school_id"] == poor.pk)
    [problem] = poor_item["problems"]
    assert problem["opened"] == 5
    # The phrase, not its words one by one; "again" is a stop word.
    assert problem["phrases"] == [("smartboard pen lost", 5)]


def test_recurring_problems_are_phrases_per_category_in_both_languages(client, director, make, category):
    """Stop words of English and Spanish ("off", "won't", "turn", "no", "enciende") never show;
    a phrase needs two requests; each category keeps its own phrases."""
    printers = factories.CategoryFactory(name="Printers")
    titles = [
        (category, "Projector won't turn on in room 12"),
        (category, "Projector bulb off again"),
        (category, "El proyector no enciende"),
        (category, "Projector bulb flickers"),
        (printers, "Paper jam in the office printer"),
        (printers, "Paper jam again"),
        (printers, "Toner low"),
    ]
    for ticket_category, title in titles:
        ticket = make(created=at(MONDAY), category=ticket_category)
        Ticket.objects.filter(pk=ticket.pk).update(title=title)
    rollup.rebuild_daily_stats(MONDAY, FRIDAY)
    context = signed_in(client, director).get(reverse("dashboard"), WEEK_QUERY).context
    [item] = context["recurring"]
    problems = {p["name"]: p["phrases"] for p in item["problems"]}
    assert problems[category.name] == [("projector", 3), ("projector bulb", 2)]  # "proyector" is its own word
    assert problems["Printers"] == [("paper jam", 2)]
    content = signed_in(client, director).get(reverse("dashboard"), WEEK_QUERY).content.decode()
    assert "“off”" not in content and "“paper jam” (2)" in content
    assert f"{category.name}: 4 requests, often about" in content


def test_the_boxes_say_what_is_drawn_on_first_load(client, director):
    """No query: a school year's figures by month, and the trend box says Month, the dates say the year."""
    response = signed_in(client, director).get(reverse("dashboard"))
    content = response.content.decode()
    assert response.context["interval"] == "month"
    assert re.search(r'<option value="month" selected>', content)
    date_from, date_to = metrics.default_range(timezone.localdate())
    assert f'value="{date_from.isoformat()}"' in content and f'value="{date_to.isoformat()}"' in content


def test_month_axes_read_like_aug_2026_and_priorities_are_capitalised(client, director, make):
    make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11))
    rollup.rebuild_daily_stats(MONDAY, FRIDAY)
    query = {**WEEK_QUERY, "interval": "month"}
    response = signed_in(client, director).get(reverse("dashboard"), query)
    content = response.content.decode()
    assert response.context["chart_data"]["labels"] == ["Mar 2026"]
    assert '<time datetime="2026-03-01">Mar 2026</time>' in content
    assert response.context["chart_data"]["sla_labels"] == ["Critical", "High", "Normal", "Low"]
    assert '<th scope="row">Critical</th>' in content
    weekly = signed_in(client, director).get(reverse("dashboard"), WEEK_QUERY).context["chart_data"]["labels"]
    assert weekly == ["Mar 2"]


def test_a_schools_drill_down_keeps_the_dashboards_dates(client, director, closed_week, school):
    response = signed_in(client, director).get(reverse("dashboard"), {**WEEK_QUERY, "interval": "week"})
    content = response.content.decode()
    drill = (
        f"/dashboard/?period=custom&amp;date_from={MONDAY.isoformat()}&amp;date_to={FRIDAY.isoformat()}"
        f"&amp;school={school.pk}&amp;interval=week"
    )
    assert f'href="{drill}"' in content
    narrowed = client.get(drill.replace("&amp;", "&")).context
    assert (narrowed["filters"].date_from, narrowed["filters"].date_to, narrowed["filters"].school) == (
        MONDAY,
        FRIDAY,
        school.pk,
    )
