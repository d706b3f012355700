"""Request every page and API list as each demo role; any 5xx or unexpected status fails.

Runs against whatever database DATABASE_URL names, after `seed_demo`. Paths that
do not resolve in the URLconf yet are reported as "not built yet" and skipped.
That leniency exists only while pages are being built: remove it (treat an
unresolvable path as a failure) once every page of API.md exists.
"""

import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Q
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from demo.district import SIGN_IN
from tickets.models import Ticket

ANONYMOUS, TEACHER, TECHNICIAN, DIRECTOR = "anonymous", "teacher", "technician", "director"
ROLES = (ANONYMOUS, TEACHER, TECHNICIAN, DIRECTOR)

# What a role should get from a path:
OK = "ok"  # 200, after following redirects, and not bounced to the login page
LOGIN = "login"  # anonymous: HTML redirects to the login page, the API answers 401/403
DENIED = "denied"  # signed in but not allowed: 403, 404 or a redirect elsewhere
HIDDEN = "hidden"  # out of reach: 404
ADMIN_LOGIN = "admin-login"  # /admin/ for a non-superuser: redirect to the admin login

ALL_SIGNED_IN = {TEACHER: OK, TECHNICIAN: OK, DIRECTOR: OK}
STAFF_ONLY = {TEACHER: DENIED, TECHNICIAN: OK, DIRECTOR: OK}
DIRECTOR_ONLY = {TEACHER: DENIED, TECHNICIAN: DENIED, DIRECTOR: OK}

# path template -> expectation per role. {own}: a ticket of the sign-in teacher; {foreign}: a ticket of
# another school that the teacher must not see.
PAGES: dict[str, dict[str, str]] = {
    "/": {ANONYMOUS: LOGIN, **ALL_SIGNED_IN},
    "/accounts/login/": {ANONYMOUS: OK},
    "/tickets/": {ANONYMOUS: LOGIN, **ALL_SIGNED_IN},
    "/tickets/new/": {ANONYMOUS: LOGIN, **ALL_SIGNED_IN},
    "/tickets/{own}/": {ANONYMOUS: LOGIN, **ALL_SIGNED_IN},
    "/tickets/{foreign}/": {ANONYMOUS: LOGIN, TEACHER: HIDDEN, TECHNICIAN: OK, DIRECTOR: OK},
    "/support/": {ANONYMOUS: OK, **ALL_SIGNED_IN},
    "/kb/": {ANONYMOUS: LOGIN, **ALL_SIGNED_IN},
    "/today/": {ANONYMOUS: LOGIN, **STAFF_ONLY},
    "/rotations/": {ANONYMOUS: LOGIN, **STAFF_ONLY},
    "/rotations/coverage/": {ANONYMOUS: LOGIN, **STAFF_ONLY},
    "/calendar/": {ANONYMOUS: LOGIN, **DIRECTOR_ONLY},
    "/surveys/follow-up/": {ANONYMOUS: LOGIN, **DIRECTOR_ONLY},
    "/kb/stats/": {ANONYMOUS: LOGIN, **DIRECTOR_ONLY},
    "/dashboard/": {ANONYMOUS: LOGIN, **DIRECTOR_ONLY},
    "/api/tickets/": {ANONYMOUS: LOGIN, **ALL_SIGNED_IN},
    "/api/tickets/{own}/": {ANONYMOUS: LOGIN, **ALL_SIGNED_IN},
    "/api/tickets/{foreign}/": {ANONYMOUS: LOGIN, TEACHER: HIDDEN, TECHNICIAN: OK, DIRECTOR: OK},
    "/api/tickets/{own}/comments/": {ANONYMOUS: LOGIN, **ALL_SIGNED_IN},
    "/api/tickets/{own}/events/": {ANONYMOUS: LOGIN, **ALL_SIGNED_IN},
    "/api/schools/": {ANONYMOUS: LOGIN, **ALL_SIGNED_IN},
    "/api/queues/": {ANONYMOUS: LOGIN, **ALL_SIGNED_IN},
    "/api/categories/": {ANONYMOUS: LOGIN, **ALL_SIGNED_IN},
    "/api/articles/": {ANONYMOUS: LOGIN, **ALL_SIGNED_IN},
    "/api/rotations/": {ANONYMOUS: LOGIN, **STAFF_ONLY},
    "/api/visits/": {ANONYMOUS: LOGIN, **STAFF_ONLY},
    "/api/calendar/": {ANONYMOUS: LOGIN, **STAFF_ONLY},
    "/api/sla-targets/": {ANONYMOUS: LOGIN, **STAFF_ONLY},
    "/api/metrics/summary/": {ANONYMOUS: LOGIN, **DIRECTOR_ONLY},
    "/api/surveys/responses/": {ANONYMOUS: LOGIN, **DIRECTOR_ONLY},
    "/api/schema/": {ANONYMOUS: OK, **ALL_SIGNED_IN},
    "/api/docs/": {ANONYMOUS: OK, **ALL_SIGNED_IN},
    "/admin/": {ANONYMOUS: ADMIN_LOGIN, TEACHER: ADMIN_LOGIN, TECHNICIAN: ADMIN_LOGIN, DIRECTOR: ADMIN_LOGIN},
}


@dataclass
class SmokeReport:
    passed: int = 0
    failures: list[str] = field(default_factory=list)
    not_built: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        pending = f", not built yet: {' '.join(sorted(self.not_built))}" if self.not_built else ""
        verdict = "OK" if self.ok else "FAILED"
        return f"smoke {verdict}: {self.passed} passed, {len(self.failures)} failed{pending}"


def _is_login_redirect(response: HttpResponseBase) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL))


def _meets(expect: str, path: str, first: HttpResponseBase, final: HttpResponseBase, final_path: str) -> bool:
    api = path.startswith("/api/")
    login_path = reverse(settings.LOGIN_URL)
    if expect == OK:
        return final.status_code == 200 and (path == login_path or not final_path.startswith(login_path))
    if expect == LOGIN:
        return first.status_code in (401, 403) if api else _is_login_redirect(first)
    if expect == DENIED:
        return first.status_code in (403, 404) or (first.status_code == 302 and not _is_login_redirect(first))
    if expect == HIDDEN:
        return first.status_code == 404
    if expect == ADMIN_LOGIN:
        return first.status_code == 302 and first["Location"].startswith(reverse("admin:login"))
    raise ValueError(expect)


def _tickets_for_teacher(teacher: User) -> tuple[Ticket, Ticket]:
    school_id = teacher.profile.school_id
    own = Ticket.objects.filter(requester=teacher).order_by("pk").first()
    foreign = (
        Ticket.objects.exclude(Q(requester=teacher) | Q(school_id=school_id) | Q(school__campus_contact=teacher))
        .order_by("pk")
        .first()
    )
    if own is None or foreign is None:
        raise LookupError("The database needs a seeded district: run `manage.py seed_demo` first.")
    return own, foreign


def _clients(report: SmokeReport) -> dict[str, Client]:
    clients = {ANONYMOUS: Client()}
    for role in (TEACHER, TECHNICIAN, DIRECTOR):
        username, password = SIGN_IN[role]
        client = Client()
        if client.login(username=username, password=password):
            clients[role] = client
        else:
            report.failures.append(f"{role}: cannot sign in as {username} with the demo password")
    return clients


def _resolves(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def run_smoke(pages: dict[str, dict[str, str]] | None = None, roles: Iterable[str] = ROLES) -> SmokeReport:
    report = SmokeReport()
    pages = PAGES if pages is None else pages
    teacher = User.objects.select_related("profile").filter(username=SIGN_IN[TEACHER][0]).first()
    if teacher is None:
        raise LookupError("The database needs a seeded district: run `manage.py seed_demo` first.")
    own, foreign = _tickets_for_teacher(teacher)
    clients = _clients(report)
    for template, expectations in pages.items():
        path = template.format(own=own.pk, foreign=foreign.pk)
        if not _resolves(path):
            report.not_built.add(template)
            continue
        for role in roles:
            expect = expectations.get(role)
            if expect is None or role not in clients:
                continue
            client = clients[role]
            try:
                first = client.get(path)
                final, final_path = first, path
                if first.status_code in (301, 302) and expect == OK:
                    final = client.get(path, follow=True)
                    final_path = final.redirect_chain[-1][0] if final.redirect_chain else path
            except Exception:  # noqa: BLE001 - a view that raises is a 500: report it and go on
                report.failures.append(f"{role} GET {path}: raised\n{traceback.format_exc()}")
                continue
            if first.status_code >= 500 or final.status_code >= 500:
                report.failures.append(f"{role} GET {path}: {final.status_code}")
            elif _meets(expect, path, first, final, final_path):
                report.passed += 1
            else:
                where = f" -> {first['Location']}" if first.has_header("Location") else ""
                report.failures.append(f"{role} GET {path}: expected {expect}, got {first.status_code}{where}")
    return report
