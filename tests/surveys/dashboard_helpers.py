"""The dashboard tests' week (the query for it, and three tickets closed in it) and a signed-in client."""

from datetime import timedelta

import pytest

from surveys.dashboard import rollup
from tests.surveys.test_metrics import FRIDAY, MONDAY, at, survey

WEEK_QUERY = {"period": "custom", "date_from": MONDAY.isoformat(), "date_to": FRIDAY.isoformat()}


@pytest.fixture
def closed_week(make):
    """Three tickets closed in the week, two answered (quality 5 and 2)."""
    tickets = [
        make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11), mode="remote") for _ in range(3)
    ]
    survey(tickets[0], quality=5, timeliness=5)
    survey(tickets[1], quality=2, timeliness=4)
    survey(tickets[2])
    rollup.rebuild_daily_stats(MONDAY - timedelta(days=30), FRIDAY + timedelta(days=30))
    return tickets


def signed_in(client, user):
    client.force_login(user)
    return client
