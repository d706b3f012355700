"""The authorization matrix's world (built once per module), its clients, and how an answer is classified."""

from typing import Any
from urllib.parse import urlparse

import pytest
from django.db import transaction
from django.test import override_settings
from rest_framework.test import APIClient

from tests.conftest import restore_reference_data
from tests.security.matrix_rules import DENIED, HIDDEN, LOGIN, NOT_ALLOWED, OK
from tests.security.world import ANONYMOUS, World, build_world


def classify(response: Any, *, api: bool) -> str:
    code = response.status_code
    assert code < 500, f"{code} from {response.request['PATH_INFO']}"
    if code in (301, 302, 303):
        location = urlparse(response["Location"]).path
        return LOGIN if location.startswith(("/accounts/login/", "/admin/login/")) else OK
    if api and code == 401:
        return LOGIN
    if code == 403:
        return DENIED
    if code == 404:
        return HIDDEN
    if code == 405:
        return NOT_ALLOWED
    return OK


class Rollback(Exception):
    pass


def call(client: APIClient, method: str, path: str) -> Any:
    try:
        with transaction.atomic():
            response = getattr(client, method)(path, {}, format="json") if method != "get" else client.get(path)
            raise Rollback
    except Rollback:
        return response


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction rolled back at its end (like
    TestCase.setUpTestData); each test's own transaction nests inside it."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            restore_reference_data()  # a module fixture runs before the per-test restore
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def _media_root():
    """The module's world keeps its files in its own directory (see _module_world)."""


@pytest.fixture
def world(_module_world, db):
    return _module_world


def _clients(world: World) -> dict[str, APIClient]:
    clients = {ANONYMOUS: APIClient()}
    for role, user in world.users.items():
        client = APIClient()
        client.force_login(user)
        clients[role] = client
    return clients
