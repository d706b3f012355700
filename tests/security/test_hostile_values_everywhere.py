"""Odd values into every query parameter, form field and path segment of every route: no 5xx
(issue 15, item 7).

The routes are the authorization matrix's (`EXPECTED`, which already fails for a route it
does not know), each called by the roles it serves, taking turns: a requester-side role and a
staff role each get every other value, so both sides' code runs and every value arrives once. The parameter names are every name a
FilterSet, form or serializer of the project reads, plus the few views read by hand
(page, period, breakdown...). Each request sends one odd value in all of them at once:
a NUL byte, integers past 64 bits, `1e999999`, the calendar's ends (9999-12-31, 0001-01-01),
a superscript digit, 300 characters, a deeply nested JSON body. A clean 400/404/405/409 or a
normal page is fine; a 5xx (or an exception) fails, naming the route, role and value.
"""

import json
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django import forms
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django_filters import FilterSet
from rest_framework import serializers
from rest_framework.test import APIClient

from tests.security import test_authorization_matrix as matrix
from tests.security.test_authorization_matrix import EXPECTED, OK, Rollback, _clients
from tests.security.world import ANONYMOUS, DIRECTOR, OWN, REQUESTER, TECHNICIAN

# The matrix's district, built once for this module too (inside a transaction rolled back at its end).
_module_world = matrix._module_world
_media_root = matrix._media_root
world = matrix.world

HOSTILE = [
    "a\x00b",
    "9223372036854775807",
    "-9223372036854775809",
    "1e999999",
    "9999-12-31",
    "0001-01-01",
    "²",
    "x" * 300,
    "NaN",
]
# Names views read by hand, besides those of forms, filters and serializers.
BY_HAND = [
    "page",
    "page_size",
    "search",
    "q",
    "ordering",
    "period",
    "breakdown",
    "by",
    "interval",
    "date_from",
    "date_to",
    "next",
    "quality",
    "format",
    "mine",
    "unassigned",
    "open",
    "language",
    "form_token",
    # Django's and DRF's sign-in, token and password-reset forms.
    "username",
    "password",
    "email",
    "new_password1",
    "new_password2",
]


def _subclasses(base: type) -> set[type]:
    found = set()
    for sub in base.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return found


def _ours(cls: type) -> bool:
    return cls.__module__.split(".")[0] in {"schools", "tickets", "surveys", "helpdesk"}


def parameter_names() -> list[str]:
    get_resolver().url_patterns  # noqa: B018 - loading the URLconf imports every view, form and serializer
    names = set(BY_HAND)
    for filterset in filter(_ours, _subclasses(FilterSet)):
        names |= set(filterset.base_filters)
    for form in filter(_ours, _subclasses(forms.BaseForm)):
        names |= set(getattr(form, "base_fields", {}))
    for serializer in filter(_ours, _subclasses(serializers.Serializer)):
        try:
            names |= set(serializer().fields)
        except Exception:  # noqa: BLE001 - a serializer that needs context: its declared fields
            names |= set(getattr(serializer, "_declared_fields", {}))
    return sorted(names)


NAMES = parameter_names()


def test_the_names_cover_the_filters_and_forms():
    for expected in ("status", "school", "date_from", "title", "note", "resolution", "username", "assignee"):
        assert expected in NAMES


def _roles(expect: Any) -> list[str]:
    """The roles the route serves: a requester-side one and a staff one at most."""
    served = [role for role in (ANONYMOUS, REQUESTER, TECHNICIAN, DIRECTOR) if expect(role, OWN) == OK]
    requester_side = [role for role in served if role in (ANONYMOUS, REQUESTER)][:1]
    staff_side = [role for role in served if role in (DIRECTOR, TECHNICIAN)][-1:]
    return requester_side + staff_side or [DIRECTOR]


def _by_role(roles: list[str], values: list[str]) -> list[tuple[str, str]]:
    """Each value sent once, the roles taking turns: both sides' code runs, every value arrives,
    and a route costs one request per value instead of one per value and role."""
    return [(roles[n % len(roles)], value) for n, value in enumerate(values)]


def _failure(response: Any, what: str) -> str:
    """The request and the exception behind its 5xx, with the project's frame that raised it."""
    error = getattr(response, "exc_info", None)
    where = ""
    if error:
        frame = error[2]
        while frame is not None:
            code = frame.tb_frame.f_code.co_filename
            if "/site-packages/" not in code and "/lib/python" not in code:
                where = f" at {code.rsplit('/', 2)[-2]}/{code.rsplit('/', 1)[-1]}:{frame.tb_lineno}"
            frame = frame.tb_next
        return f"{what}: {response.status_code} {error[0].__name__}: {str(error[1])[:80]}{where}"
    return f"{what}: {response.status_code}"


def _groups() -> list[list[str]]:
    """All names at once, then the dates, the paging and the search alone: with every name
    odd, a route often answers 400 for one of them before it reaches the one that breaks."""
    dates = [n for n in NAMES if any(part in n for part in ("date", "_from", "_to", "after", "before", "since"))]
    return [NAMES, dates, ["page", "page_size"], ["search", "q", "ordering"]]


GROUPS = _groups()


def _send(client: APIClient, method: str, path: str, value: str, names: list[str] = NAMES) -> Any:
    query = urlencode(dict.fromkeys(names, value))
    url = f"{path}{'&' if '?' in path else '?'}{query}"
    api = path.startswith("/api/")
    try:
        with transaction.atomic():
            if method == "get":
                response = client.get(url)
            elif api:
                response = getattr(client, method)(url, dict.fromkeys(names, value), format="json")
            else:
                response = getattr(client, method)(url, dict.fromkeys(names, value))
            if response.streaming:
                # A CSV export fails while it streams, after its 200: read it to the end.
                try:
                    b"".join(response.streaming_content)
                except Exception as error:  # noqa: BLE001 - reported as the 500 it would be
                    response.status_code, response.exc_info = 500, (type(error), error, error.__traceback__)
            raise Rollback
    except Rollback:
        return response


@pytest.mark.parametrize("route", sorted(EXPECTED))
def test_no_odd_value_in_any_parameter_or_field_gives_a_5xx(route, world):
    clients = _clients(world)
    for client in clients.values():
        client.raise_request_exception = False
    failures = []
    for method, build, expect in EXPECTED[route]:
        path = build(world, OWN)
        for role, value in _by_role(_roles(expect), HOSTILE):
            for names in GROUPS if method == "get" else GROUPS[:1]:
                response = _send(clients[role], method, path, value, names)
                if response.status_code >= 500:
                    what = f"{method.upper()} {path} as {role} with {value[:20]!r} in {names[:3]}"
                    failures.append(_failure(response, what))
    assert failures == [], "\n".join(failures)


def _raw_json(client: APIClient, method: str, path: str, body: str) -> Any:
    try:
        with transaction.atomic():
            response = getattr(client, method)(path, body, content_type="application/json")
            raise Rollback
    except Rollback:
        return response


NESTED = "[" * 100_000 + "]" * 100_000
ODD_JSON = [
    NESTED,
    json.dumps(dict.fromkeys(NAMES, "x")).replace('"x"', NESTED[:2000] + NESTED[-2000:]),
    json.dumps(dict.fromkeys(NAMES, 0)).replace(": 0", ": 1e999999"),
    json.dumps(dict.fromkeys(NAMES, 0)).replace(": 0", ": 9223372036854775808"),
    '{"a": "\\u0000"}',
]


@pytest.mark.parametrize("route", sorted(r for r in EXPECTED if r.startswith("api/")))
def test_no_odd_json_body_gives_a_5xx(route, world):
    clients = _clients(world)
    for client in clients.values():
        client.raise_request_exception = False
    failures = []
    for method, build, expect in EXPECTED[route]:
        if method == "get":
            continue
        path = build(world, OWN)
        for role, body in _by_role(_roles(expect), ODD_JSON):
            response = _raw_json(clients[role], method, path, body)
            if response.status_code >= 500:
                failures.append(_failure(response, f"{method.upper()} {path} as {role} with {body[:30]!r}"))
    assert failures == [], "\n".join(failures)


def _routes_with_path_parameters() -> list[str]:
    routes: list[str] = []

    def walk(patterns: list, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if "<" in route and not route.startswith(("admin/", "api/")) and "(?P" not in route:
                    routes.append(route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(routes))


def _fill(route: str, value: str) -> str:
    out, rest = "/", route
    while "<" in rest:
        before, rest = rest.split("<", 1)
        converter, rest = rest.split(">", 1)
        out += before + ("99999999999999999999" if converter.startswith("int:") else quote(value, safe=""))
    return out + rest


@pytest.mark.parametrize("route", _routes_with_path_parameters())
def test_no_odd_value_in_a_path_segment_gives_a_5xx(route, world):
    clients = _clients(world)
    failures = []
    for role in (ANONYMOUS, DIRECTOR):
        client = clients[role]
        client.raise_request_exception = False
        for value in HOSTILE:
            path = _fill(route, value)
            for method in ("get", "post"):
                try:
                    with transaction.atomic():
                        response = getattr(client, method)(path)
                        raise Rollback
                except Rollback:
                    pass
                if response.status_code >= 500:
                    failures.append(_failure(response, f"{method.upper()} {path[:60]} as {role}"))
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("path", ["/api/tickets/", "/api/schools/", "/api/articles/", "/api/surveys/responses/"])
def test_api_paths_with_huge_ids_are_404(path, world):
    client = _clients(world)[DIRECTOR]
    assert client.get(f"{path}9223372036854775808/").status_code == 404
    assert client.get(f"{path}1e999999/").status_code == 404
