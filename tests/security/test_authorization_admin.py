"""The admin: closed to everyone without Django's staff flag, and that flag alone grants no technician powers."""
# ruff: noqa: F811 - the matrix's fixtures (tests/security/matrix_world.py) are imported by name, then requested as arguments

import pytest

from tests.security.matrix_rules import LOGIN
from tests.security.matrix_world import _clients, _media_root, _module_world, classify, world  # noqa: F401 - fixtures
from tests.security.world import ANONYMOUS, CAMPUS_CONTACT, DIRECTOR, OWN, REQUESTER, STAFF_FLAG_ONLY, TECHNICIAN

ADMIN_PATHS = ["/admin/", "/admin/tickets/ticket/", "/admin/tickets/ticketevent/", "/admin/auth/user/"]


@pytest.mark.parametrize("path", ADMIN_PATHS)
def test_admin_is_closed_to_everyone_without_the_staff_flag(path, world):
    clients = _clients(world)
    for role in (ANONYMOUS, REQUESTER, CAMPUS_CONTACT, TECHNICIAN, DIRECTOR):
        assert classify(clients[role].get(path), api=False) == LOGIN, role


@pytest.mark.parametrize("path", ADMIN_PATHS[1:])
def test_is_staff_without_permissions_sees_no_admin_data(path, world):
    client = _clients(world)[STAFF_FLAG_ONLY]
    assert client.get(path).status_code == 403


def test_is_staff_flag_grants_no_technician_powers(world):
    client = _clients(world)[STAFF_FLAG_ONLY]
    own = world.obj("ticket", OWN)
    assert client.get("/api/tickets/").json()["count"] == 0
    assert client.get(f"/api/tickets/{own.pk}/").status_code == 404
    assert client.get("/tickets/").status_code == 200
    assert own.title not in client.get("/tickets/?search=Own").content.decode()
    assert client.get("/today/").status_code == 404
    assert client.post("/api/articles/", {"title": "x", "body": "y"}, format="json").status_code == 403
