"""Nobody can switch off survey links (issue 15, item 1).

Twenty wrong links from one address used to make every valid link answer 429 for ten
minutes, for everyone behind the same address: behind the TLS proxy that was every
visitor, at a school's shared NAT address the whole school. Now a valid link always
works, misses are counted per real client address, and only misses slow down.
"""

import pytest
from django.test import Client

from tests import factories
from tests.surveys.conftest import work_and_close

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
ATTACKER, NEIGHBOUR = "203.0.113.5", "198.51.100.7"
ANSWER = {"timeliness": "4", "quality": "5", "learned": "yes", "comment": "Thanks!"}


@pytest.fixture
def invitation(teacher, technician, category, django_capture_on_commit_callbacks):
    ticket = factories.TicketFactory(requester=teacher, category=category)
    with django_capture_on_commit_callbacks(execute=True):
        return work_and_close(ticket, technician).survey_invitation


def _via_proxy(client: Client, path: str, client_address: str, method: str = "get", data: dict | None = None):
    # The proxy appends the address it saw; whatever the client sent comes before it.
    forwarded = f"6.6.6.6, {client_address}"
    return getattr(client, method)(path, data or {}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def _miss_until_throttled(client: Client, address: str) -> None:
    for n in range(20):
        assert _via_proxy(client, f"/surveys/guess{n}/", address).status_code == 404
    assert _via_proxy(client, "/surveys/guess-more/", address).status_code == 429


def test_behind_the_proxy_one_clients_misses_never_touch_another_client(client, invitation, settings):
    settings.HELPDESK_TRUST_X_FORWARDED_FOR = True
    _miss_until_throttled(client, ATTACKER)
    link = f"/surveys/{invitation.token}/"
    assert _via_proxy(Client(), link, NEIGHBOUR).status_code == 200
    assert _via_proxy(Client(), "/surveys/a-typo/", NEIGHBOUR).status_code == 404


def test_a_valid_link_works_even_from_an_address_past_its_misses(client, invitation):
    """A school's shared NAT address: one curious pupil must not lock out the teachers."""
    for n in range(25):
        client.get(f"/surveys/guess{n}/")
    assert client.get("/surveys/guess-more/").status_code == 429
    link = f"/surveys/{invitation.token}/"
    assert client.get(link).status_code == 200
    assert client.post(link, ANSWER).status_code == 302
    assert client.get(f"{link}thanks/").status_code == 200


def test_without_the_proxy_setting_the_forwarded_header_is_not_believed(client, invitation, settings):
    """Otherwise anyone could dodge the count by inventing an address per request."""
    settings.HELPDESK_TRUST_X_FORWARDED_FOR = False
    for n in range(20):
        client.get(f"/surveys/guess{n}/", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert client.get("/surveys/guess-more/", HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_a_nul_byte_in_a_survey_token_is_a_counted_miss_not_a_500(client):
    for _ in range(10):
        assert client.get("/surveys/abc%00def/").status_code == 404
        assert client.get("/surveys/%00/thanks/").status_code == 404
    assert client.get("/surveys/abc%00def/").status_code == 429
