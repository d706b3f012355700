"""Every route × every role × own and somebody else's object, generated from the URLconf.

`EXPECTED` names each route of the URLconf (walked with get_resolver, format-suffix
twins folded into their route): a new endpoint without an entry fails
`test_every_route_has_an_expectation`, naming it. Each entry says how to build the
URL for an "own" and an "other's" object, which method to use, and what each role
must get:

  OK      the request is served (2xx, a redirect that is not to sign-in, or a 400/409
          for a body this matrix does not fill in): the caller was let in
  LOGIN   sign in first: a redirect to the login page, or 401/403 from the API
  DENIED  403: the object is within reach but this role may not do this
  HIDDEN  404: out of reach (the product's rule: never reveal that it exists)

POST routes are sent an empty body inside a savepoint that is rolled back, so one
role's request never changes what the next role sees.
"""
# ruff: noqa: F811 - the matrix's fixtures (tests/security/matrix_world.py) are imported by name, then requested as arguments

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.security.matrix_rules import (
    DENIED,
    HIDDEN,
    LOGIN,
    OK,
    Build,
    Expect,
    api_att_path,
    att_path,
    attachment,
    director_only,
    everyone,
    fixed,
    person,
    pk,
    saved_reply,
    saved_view_change,
    signed_in,
    staff_only,
    ticket,
    token,
)
from tests.security.matrix_world import Rollback, _clients, _media_root, _module_world, call, classify, world  # noqa: F401 - fixtures; Rollback for test_hostile_values_everywhere
from tests.security.world import (
    ANONYMOUS,
    DIRECTOR,
    OTHER_REQUESTER,
    OTHERS,
    OWN,
    REQUESTER,
    ROLES,
    STAFF_FLAG_ONLY,
    TECHNICIAN,
)

# The HTML action views answer a refused action with a message on the ticket page
# (a redirect, so OK here); that the service refuses is tested in tests/tickets/test_lifecycle_page.py.
TICKET_ACTIONS = ["assign", "start", "wait", "resolve", "close", "reopen"]

# route -> list of (method, url builder, expectation)
EXPECTED: dict[str, list[tuple[str, Build, Expect]]] = {
    "accounts/login/": [("get", fixed("/accounts/login/"), everyone(OK))],
    # Signing out lands on the sign-in page for everyone.
    "accounts/logout/": [("post", fixed("/accounts/logout/"), everyone(LOGIN))],
    "accounts/password-reset/": [("get", fixed("/accounts/password-reset/"), everyone(OK))],
    "accounts/password-reset/sent/": [("get", fixed("/accounts/password-reset/sent/"), everyone(OK))],
    "accounts/password-reset/<uidb64>/<token>/": [("get", fixed("/accounts/password-reset/MQ/x-y/"), everyone(OK))],
    "accounts/password-reset/done/": [("get", fixed("/accounts/password-reset/done/"), everyone(OK))],
    # Single sign-on (people/sso_urls.py). No provider is switched on here: their URLs are 404.
    **{
        route: [("get", fixed(url), everyone(HIDDEN)), ("post", fixed(url), everyone(HIDDEN))]
        for route, url in [
            ("accounts/google/login/", "/accounts/google/login/"),
            ("accounts/google/login/callback/", "/accounts/google/login/callback/"),
            ("accounts/google/login/token/", "/accounts/google/login/token/"),
            ("accounts/microsoft/login/", "/accounts/microsoft/login/"),
            ("accounts/microsoft/login/callback/", "/accounts/microsoft/login/callback/"),
            ("accounts/oidc/<str:provider_id>/login/", "/accounts/oidc/oidc/login/"),
            ("accounts/oidc/<str:provider_id>/login/callback/", "/accounts/oidc/oidc/login/callback/"),
        ]
    },
    "accounts/3rdparty/login/cancelled/": [("get", fixed("/accounts/3rdparty/login/cancelled/"), everyone(OK))],
    "accounts/3rdparty/login/error/": [("get", fixed("/accounts/3rdparty/login/error/"), everyone(OK))],
    # Without a sign-in in progress there is nothing to sign up: back to the sign-in page.
    "accounts/3rdparty/signup/": [("get", fixed("/accounts/3rdparty/signup/"), everyone(LOGIN))],
    "accounts/inactive/": [("get", fixed("/accounts/inactive/"), everyone(OK))],
    "accounts/welcome/school/": [
        ("get", fixed("/accounts/welcome/school/"), signed_in),
        ("post", fixed("/accounts/welcome/school/"), signed_in),
    ],
    "api/auth/token/": [
        ("post", fixed("/api/auth/token/"), everyone(OK)),
        ("delete", fixed("/api/auth/token/"), signed_in),
    ],
    # Without `user` a caller signs themselves out; naming someone else is tested in test_sessions_end.
    "api/auth/sign-out-everywhere/": [("post", fixed("/api/auth/sign-out-everywhere/"), signed_in)],
    "api/schema/": [("get", fixed("/api/schema/"), everyone(OK))],
    "api/docs/": [("get", fixed("/api/docs/"), everyone(OK))],
    "api/": [("get", fixed("/api/"), signed_in)],
    # People (people/api.py): the director's; everyone else is refused.
    "api/^people/$": [
        ("get", fixed("/api/people/"), director_only()),
        ("post", fixed("/api/people/"), director_only()),
    ],
    "api/^people/(?P<pk>[^/.]+)/$": [
        ("get", person("/api/people/{}/"), director_only()),
        ("patch", person("/api/people/{}/"), director_only()),
    ],
    "api/^schools/$": [("get", fixed("/api/schools/"), signed_in), ("post", fixed("/api/schools/"), director_only())],
    "api/^schools/(?P<pk>[^/.]+)/$": [
        ("get", pk("school", "/api/schools/{}/"), signed_in),
        ("patch", pk("school", "/api/schools/{}/"), director_only()),
    ],
    "api/^rotations/$": [
        ("get", fixed("/api/rotations/"), staff_only()),
        ("post", fixed("/api/rotations/"), director_only()),
    ],
    "api/^rotations/(?P<pk>[^/.]+)/$": [
        ("get", pk("rotation", "/api/rotations/{}/"), staff_only()),
        ("patch", pk("rotation", "/api/rotations/{}/"), director_only()),
    ],
    "api/^visits/$": [("get", fixed("/api/visits/"), staff_only())],
    "api/^visits/(?P<pk>[^/.]+)/$": [("get", pk("visit", "/api/visits/{}/"), staff_only())],
    "api/^calendar/$": [("get", fixed("/api/calendar/"), staff_only())],
    "api/^calendar/(?P<pk>[^/.]+)/$": [
        ("get", pk("calendar", "/api/calendar/{}/"), staff_only()),
        ("patch", pk("calendar", "/api/calendar/{}/"), director_only()),
    ],
    "api/^closures/$": [
        ("get", fixed("/api/closures/"), staff_only()),
        ("post", fixed("/api/closures/"), director_only()),
    ],
    "api/^closures/federal-holidays/$": [("post", fixed("/api/closures/federal-holidays/"), director_only())],
    "api/^closures/(?P<pk>[^/.]+)/$": [
        ("get", pk("closure", "/api/closures/{}/"), staff_only()),
        ("delete", pk("closure", "/api/closures/{}/"), director_only()),
    ],
    "api/^queues/$": [("get", fixed("/api/queues/"), signed_in), ("post", fixed("/api/queues/"), director_only())],
    "api/^queues/(?P<pk>[^/.]+)/$": [
        ("get", pk("queue", "/api/queues/{}/"), signed_in),
        ("patch", pk("queue", "/api/queues/{}/"), director_only()),
    ],
    "api/^categories/$": [
        ("get", fixed("/api/categories/"), signed_in),
        ("post", fixed("/api/categories/"), director_only()),
    ],
    "api/^categories/(?P<pk>[^/.]+)/$": [
        ("get", pk("category", "/api/categories/{}/"), signed_in),
        ("patch", pk("category", "/api/categories/{}/"), director_only()),
    ],
    "api/^tickets/$": [("get", fixed("/api/tickets/"), signed_in), ("post", fixed("/api/tickets/"), signed_in)],
    "api/^tickets/(?P<pk>[^/.]+)/$": [
        ("get", pk("ticket", "/api/tickets/{}/"), ticket()),
        ("patch", pk("ticket", "/api/tickets/{}/"), ticket(staff_action=True)),
    ],
    **{
        f"api/^tickets/(?P<pk>[^/.]+)/{action}/$": [
            # Requesters may close and reopen their own (the status then decides: 409).
            (
                "post",
                pk("ticket", f"/api/tickets/{{}}/{action}/"),
                ticket(staff_action=action not in ("close", "reopen")),
            )
        ]
        for action in TICKET_ACTIONS
    },
    "api/^tickets/(?P<pk>[^/.]+)/comments/$": [
        ("get", pk("ticket", "/api/tickets/{}/comments/"), ticket()),
        ("post", pk("ticket", "/api/tickets/{}/comments/"), ticket()),
    ],
    "api/^tickets/(?P<pk>[^/.]+)/events/$": [("get", pk("ticket", "/api/tickets/{}/events/"), ticket())],
    "api/^tickets/(?P<ticket_pk>[^/.]+)/attachments/$": [
        ("get", pk("ticket", "/api/tickets/{}/attachments/"), ticket()),
        ("post", pk("ticket", "/api/tickets/{}/attachments/"), ticket()),
    ],
    "api/^tickets/(?P<ticket_pk>[^/.]+)/attachments/(?P<pk>[^/.]+)/$": [("get", api_att_path(), attachment)],
    "api/^tickets/(?P<ticket_pk>[^/.]+)/attachments/(?P<pk>[^/.]+)/download/$": [
        ("get", api_att_path("download/"), attachment)
    ],
    # The targets are public in words on /support/; the API's figures are the desk's.
    "api/^sla-targets/$": [("get", fixed("/api/sla-targets/"), staff_only())],
    "api/^sla-targets/(?P<pk>[^/.]+)/$": [
        ("get", pk("sla_target", "/api/sla-targets/{}/"), staff_only()),
        ("patch", pk("sla_target", "/api/sla-targets/{}/"), director_only()),
    ],
    "api/^articles/$": [("get", fixed("/api/articles/"), signed_in), ("post", fixed("/api/articles/"), staff_only())],
    "api/^articles/(?P<pk>[^/.]+)/$": [
        # "own" is an article for everyone, "other's" a staff-only one.
        (
            "get",
            pk("article", "/api/articles/{}/"),
            lambda r, w: signed_in(r, w) if w == OWN else staff_only(HIDDEN)(r, w),
        ),
        ("patch", pk("article", "/api/articles/{}/"), lambda r, w: staff_only(DENIED if w == OWN else HIDDEN)(r, w)),
    ],
    "api/^tickets/bulk/$": [("post", fixed("/api/tickets/bulk/"), staff_only())],
    "api/^replies/$": [("get", fixed("/api/replies/"), staff_only()), ("post", fixed("/api/replies/"), staff_only())],
    # "own" is a shared reply (the director's), "other's" the technician's private one.
    "api/^replies/(?P<pk>[^/.]+)/$": [
        ("get", pk("saved_reply", "/api/replies/{}/"), lambda r, w: saved_reply(r, w)),
        ("patch", pk("saved_reply", "/api/replies/{}/"), lambda r, w: saved_reply(r, w, write=True)),
    ],
    "api/^replies/(?P<pk>[^/.]+)/fill/$": [
        ("get", pk("saved_reply", "/api/replies/{}/fill/"), lambda r, w: saved_reply(r, w))
    ],
    "api/^surveys/responses/$": [("get", fixed("/api/surveys/responses/"), director_only())],
    "api/^surveys/responses/(?P<pk>[^/.]+)/$": [
        ("get", pk("response", "/api/surveys/responses/{}/"), director_only(DENIED))
    ],
    "api/^metrics/summary/$": [("get", fixed("/api/metrics/summary/"), director_only())],
    # Devices are the team's: requesters get 403 on the API (API.md) and 404 on the pages.
    "api/^assets/$": [("get", fixed("/api/assets/"), staff_only()), ("post", fixed("/api/assets/"), staff_only())],
    "api/^assets/(?P<pk>[^/.]+)/$": [
        ("get", pk("asset", "/api/assets/{}/"), staff_only()),
        ("patch", pk("asset", "/api/assets/{}/"), staff_only()),
    ],
    "api/^assets/(?P<asset_pk>[^/.]+)/tickets/$": [("get", pk("asset", "/api/assets/{}/tickets/"), staff_only())],
    "api/^loans/$": [("get", fixed("/api/loans/"), staff_only()), ("post", fixed("/api/loans/"), staff_only())],
    "api/^loans/(?P<pk>[^/.]+)/$": [("get", pk("loan", "/api/loans/{}/"), staff_only())],
    "api/^loans/(?P<pk>[^/.]+)/check-in/$": [("post", pk("loan", "/api/loans/{}/check-in/"), staff_only())],
    "api/^maintenance-plans/$": [
        ("get", fixed("/api/maintenance-plans/"), staff_only()),
        ("post", fixed("/api/maintenance-plans/"), director_only()),
    ],
    "api/^maintenance-plans/(?P<pk>[^/.]+)/$": [
        ("get", pk("maintenance_plan", "/api/maintenance-plans/{}/"), staff_only()),
        ("patch", pk("maintenance_plan", "/api/maintenance-plans/{}/"), director_only()),
    ],
    "api/^maintenance-tasks/$": [("get", fixed("/api/maintenance-tasks/"), staff_only())],
    "api/^maintenance-tasks/(?P<pk>[^/.]+)/$": [
        ("get", pk("maintenance_task", "/api/maintenance-tasks/{}/"), staff_only())
    ],
    "api/^maintenance-tasks/(?P<pk>[^/.]+)/done/$": [
        ("post", pk("maintenance_task", "/api/maintenance-tasks/{}/done/"), staff_only())
    ],
    "api/^maintenance-tasks/(?P<pk>[^/.]+)/skip/$": [
        ("post", pk("maintenance_task", "/api/maintenance-tasks/{}/skip/"), staff_only())
    ],
    "assets/": [("get", fixed("/assets/"), staff_only(HIDDEN))],
    "assets/<int:pk>/": [("get", pk("asset", "/assets/{}/"), staff_only(HIDDEN))],
    "assets/import/": [("get", fixed("/assets/import/"), director_only(HIDDEN))],
    # Only the director who previewed a file applies it; another director's is out of reach.
    "assets/import/<int:pk>/apply/": [
        (
            "post",
            pk("asset_import", "/assets/import/{}/apply/"),
            lambda r, w: LOGIN if r == ANONYMOUS else OK if (r, w) == (DIRECTOR, OWN) else HIDDEN,
        )
    ],
    # Form pages: their POST (lending; the director adding a plan) is tested in tests/devices/test_views.py.
    "loaners/": [("get", fixed("/loaners/"), staff_only(HIDDEN))],
    "loaners/<int:pk>/check-in/": [("post", pk("loan", "/loaners/{}/check-in/"), staff_only(HIDDEN))],
    "maintenance/": [("get", fixed("/maintenance/"), staff_only(HIDDEN))],
    "maintenance/tasks/<int:pk>/done/": [
        ("post", pk("maintenance_task", "/maintenance/tasks/{}/done/"), staff_only(HIDDEN))
    ],
    "maintenance/tasks/<int:pk>/skip/": [
        ("post", pk("maintenance_task", "/maintenance/tasks/{}/skip/"), staff_only(HIDDEN))
    ],
    "rotations/": [("get", fixed("/rotations/"), staff_only(HIDDEN))],
    "rotations/coverage/": [("get", fixed("/rotations/coverage/"), staff_only(HIDDEN))],
    "rotations/<int:pk>/edit/": [("get", pk("rotation", "/rotations/{}/edit/"), director_only(HIDDEN))],
    "rotations/<int:pk>/delete/": [("post", pk("rotation", "/rotations/{}/delete/"), director_only(HIDDEN))],
    "calendar/": [("get", fixed("/calendar/"), director_only(HIDDEN))],
    "calendar/closures/<int:pk>/delete/": [
        ("post", pk("closure", "/calendar/closures/{}/delete/"), director_only(HIDDEN))
    ],
    "calendar/feed/reset/": [("post", fixed("/calendar/feed/reset/"), staff_only(HIDDEN))],
    # The secret token is the key: anyone holding it reads the feed; a wrong one is 404.
    "calendar/<str:token>.ics": [
        ("get", token("feed", "/calendar/{}.ics"), everyone(OK)),
        ("get", fixed("/calendar/not-a-real-token.ics"), everyone(HIDDEN)),
    ],
    "surveys/follow-up/": [("get", fixed("/surveys/follow-up/"), director_only())],
    "dashboard/": [("get", fixed("/dashboard/"), director_only())],
    "dashboard/export.csv": [("get", fixed("/dashboard/export.csv?breakdown=school"), director_only())],
    "dashboard/goals/": [("get", fixed("/dashboard/goals/"), director_only())],
    "dashboard/goals/<int:pk>/": [("get", pk("goal", "/dashboard/goals/{}/"), director_only())],
    "api/^metrics/breakdown/$": [("get", fixed("/api/metrics/breakdown/?by=school"), director_only())],
    "api/^metrics/trend/$": [("get", fixed("/api/metrics/trend/?interval=month"), director_only())],
    "api/^metrics/timeseries/$": [("get", fixed("/api/metrics/timeseries/?interval=week"), director_only())],
    "vendors/": [("get", fixed("/vendors/"), director_only())],
    "email/needs-a-look/": [("get", fixed("/email/needs-a-look/"), staff_only(HIDDEN))],
    "email/needs-a-look/<int:pk>/retry/": [
        ("post", pk("inbound", "/email/needs-a-look/{}/retry/"), staff_only(HIDDEN))
    ],
    "email/needs-a-look/<int:pk>/dismiss/": [
        ("post", pk("inbound", "/email/needs-a-look/{}/dismiss/"), staff_only(HIDDEN))
    ],
    "calendar/targets/": [("get", fixed("/calendar/targets/"), director_only())],
    # Staff pages hide themselves from requesters; each POST then redirects back with a message.
    "tickets/<int:pk>/escalate/": [("post", pk("ticket", "/tickets/{}/escalate/"), staff_only(HIDDEN))],
    "vendor-cases/<int:pk>/returned/": [("post", pk("vendor_case", "/vendor-cases/{}/returned/"), staff_only(HIDDEN))],
    "people/<int:user_id>/assessment/": [("post", pk("person", "/people/{}/assessment/"), staff_only(HIDDEN))],
    # The director's people pages (people/directory_views.py) hide themselves from everyone else.
    "people/": [("get", fixed("/people/"), director_only(HIDDEN))],
    "people/import/": [("get", fixed("/people/import/"), director_only(HIDDEN))],
    "people/import/<int:pk>/": [("get", pk("roster_import", "/people/import/{}/"), director_only(HIDDEN))],
    "people/import/<int:pk>/progress/": [
        ("get", pk("roster_import", "/people/import/{}/progress/"), director_only(HIDDEN))
    ],
    # Only the director who previewed a roster applies it; another director's is out of reach.
    "people/import/<int:pk>/apply/": [
        (
            "post",
            pk("roster_import", "/people/import/{}/apply/"),
            lambda r, w: LOGIN if r == ANONYMOUS else OK if (r, w) == (DIRECTOR, OWN) else HIDDEN,
        )
    ],
    "people/<int:pk>/": [
        ("get", person("/people/{}/"), director_only(HIDDEN)),
        ("post", person("/people/{}/"), director_only(HIDDEN)),
    ],
    "people/<int:pk>/campus-contact/": [("post", person("/people/{}/campus-contact/"), director_only(HIDDEN))],
    "people/<int:pk>/active/": [
        ("get", person("/people/{}/active/"), director_only(HIDDEN)),
        ("post", person("/people/{}/active/"), director_only(HIDDEN)),
    ],
    # The director's school and category pages (schools/directory_views.py, tickets/views/categories.py).
    "schools/": [
        ("get", fixed("/schools/"), director_only(HIDDEN)),
        ("post", fixed("/schools/"), director_only(HIDDEN)),
    ],
    "schools/<int:pk>/": [
        ("get", pk("school", "/schools/{}/"), director_only(HIDDEN)),
        ("post", pk("school", "/schools/{}/"), director_only(HIDDEN)),
    ],
    "categories/": [
        ("get", fixed("/categories/"), director_only(HIDDEN)),
        ("post", fixed("/categories/"), director_only(HIDDEN)),
    ],
    "categories/<int:pk>/": [
        ("get", pk("category", "/categories/{}/"), director_only(HIDDEN)),
        ("post", pk("category", "/categories/{}/"), director_only(HIDDEN)),
    ],
    "profile/": [("get", fixed("/profile/"), signed_in)],
    # Signed out everywhere lands on the sign-in page, like signing out.
    "profile/sign-out-everywhere/": [("post", fixed("/profile/sign-out-everywhere/"), everyone(LOGIN))],
    # An empty body unticks everything: refused (400) for a signed-in person, who was let in.
    "profile/email/": [("post", fixed("/profile/email/"), signed_in)],
    "i18n/setlang/": [("post", fixed("/i18n/setlang/"), everyone(OK))],
    "surveys/follow-up/<int:pk>/": [("post", pk("response", "/surveys/follow-up/{}/"), director_only())],
    "surveys/responses.csv": [("get", fixed("/surveys/responses.csv"), director_only())],
    # The survey link works without signing in (one click from the email); a wrong token is 404.
    "surveys/<str:token>/": [
        # ...except the technician who did the work: nobody rates their own job.
        ("get", token("invitation", "/surveys/{}/"), lambda r, w: DENIED if r == TECHNICIAN else OK),
        ("get", fixed("/surveys/not-a-real-token/"), everyone(HIDDEN)),
    ],
    "surveys/<str:token>/thanks/": [("get", token("invitation", "/surveys/{}/thanks/"), everyone(OK))],
    # The survey page's script records the opening; a link that names no survey is hidden from all.
    "surveys/<str:token>/opened/": [("post", fixed("/surveys/not-a-real-token/opened/"), everyone(HIDDEN))],
    "": [("get", fixed("/"), signed_in)],
    "support/": [("get", fixed("/support/"), everyone(OK))],
    # Students and families, without an account: the form, and the emailed link (a wrong one is 404).
    # Both pages answer GET, so only their GET is listed; their POSTs are tested in tests/tickets/test_family.py.
    "help/device/": [("get", fixed("/help/device/"), everyone(OK))],
    "help/device/sent/": [("get", fixed("/help/device/sent/"), everyone(OK))],
    "help/device/<str:token>/": [
        ("get", token("family_report", "/help/device/{}/"), everyone(OK)),
        ("get", fixed("/help/device/not-a-real-token/"), everyone(HIDDEN)),
    ],
    "health/": [("get", fixed("/health/"), everyone(OK))],
    "tickets/": [("get", fixed("/tickets/"), signed_in)],
    "tickets/export.csv": [("get", fixed("/tickets/export.csv?open=true"), staff_only(HIDDEN))],
    "tickets/new/": [("get", fixed("/tickets/new/"), signed_in)],
    # The queue page's forms: an empty bulk post or view name is refused with a message (a redirect).
    "tickets/bulk/": [("post", fixed("/tickets/bulk/"), staff_only(HIDDEN))],
    "tickets/views/": [("post", fixed("/tickets/views/"), staff_only(HIDDEN))],
    "tickets/views/<int:pk>/delete/": [
        ("post", pk("saved_view", "/tickets/views/{}/delete/"), lambda r, w: saved_view_change(r, w))
    ],
    "tickets/views/<int:pk>/rename/": [
        ("post", pk("saved_view", "/tickets/views/{}/rename/"), lambda r, w: saved_view_change(r, w))
    ],
    "tickets/<int:pk>/": [("get", pk("ticket", "/tickets/{}/"), ticket())],
    "tickets/<int:pk>/comment/": [("post", pk("ticket", "/tickets/{}/comment/"), ticket())],
    "tickets/<int:pk>/update/": [("post", pk("ticket", "/tickets/{}/update/"), ticket())],
    **{
        f"tickets/<int:pk>/{action}/": [("post", pk("ticket", f"/tickets/{{}}/{action}/"), ticket())]
        for action in TICKET_ACTIONS
    },
    "tickets/<int:pk>/attachments/": [("post", pk("ticket", "/tickets/{}/attachments/"), ticket())],
    # The workbench's ticket-page endpoints: followers and merging are staff-only (hidden from
    # requesters); the live banner is polled by whoever may open the ticket.
    "tickets/<int:pk>/followers/": [("post", pk("ticket", "/tickets/{}/followers/"), staff_only(HIDDEN))],
    "tickets/<int:pk>/followers/<int:user_pk>/remove/": [
        (
            "post",
            lambda world, which: (
                f"/tickets/{world.obj('ticket', which).pk}/followers/{world.users[REQUESTER].pk}/remove/"
            ),
            staff_only(HIDDEN),
        )
    ],
    "tickets/<int:pk>/merge/": [("post", pk("ticket", "/tickets/{}/merge/"), staff_only(HIDDEN))],
    "tickets/<int:pk>/presence/": [("get", pk("ticket", "/tickets/{}/presence/?since=1"), ticket())],
    "tickets/<int:pk>/attachments/<int:attachment_pk>/": [
        ("get", att_path(), attachment),
        # A requester never reaches a file on an internal note, even on their own ticket.
        (
            "get",
            lambda world, which: (
                f"/tickets/{world.obj('attachment', 'internal').ticket_id}/attachments/"
                f"{world.obj('attachment', 'internal').pk}/"
            ),
            staff_only(HIDDEN),
        ),
    ],
    "today/": [("get", fixed("/today/"), staff_only(HIDDEN))],
    "today/tickets/<int:pk>/start/": [("post", pk("ticket", "/today/tickets/{}/start/"), staff_only(HIDDEN))],
    "today/tickets/<int:pk>/resolve/": [("post", pk("ticket", "/today/tickets/{}/resolve/"), staff_only(HIDDEN))],
    "today/visits/<int:pk>/check-in/": [("post", pk("visit", "/today/visits/{}/check-in/"), staff_only(HIDDEN))],
    "today/visits/<int:pk>/complete/": [("post", pk("visit", "/today/visits/{}/complete/"), staff_only(HIDDEN))],
    "kb/": [("get", fixed("/kb/"), signed_in)],
    "kb/new/": [("get", fixed("/kb/new/"), staff_only())],
    "kb/stats/": [("get", fixed("/kb/stats/"), director_only())],
    # A fragment fetched by kb-suggest.js: no sign-in page to send it to, so 403.
    "kb/suggest/": [("get", fixed("/kb/suggest/?q=wifi"), lambda r, w: DENIED if r == ANONYMOUS else OK)],
    "kb/from-ticket/<int:ticket_id>/": [("post", pk("ticket", "/kb/from-ticket/{}/"), staff_only(DENIED))],
    "kb/<int:pk>/": [
        ("get", pk("article", "/kb/{}/"), lambda r, w: signed_in(r, w) if w == OWN else staff_only(HIDDEN)(r, w))
    ],
    "kb/<int:pk>/edit/": [("get", pk("article", "/kb/{}/edit/"), staff_only())],
    "kb/<int:pk>/vote/": [
        ("post", pk("article", "/kb/{}/vote/"), lambda r, w: signed_in(r, w) if w == OWN else staff_only(HIDDEN)(r, w))
    ],
    "kb/<int:pk>/solved/": [
        (
            "post",
            pk("article", "/kb/{}/solved/"),
            lambda r, w: signed_in(r, w) if w == OWN else staff_only(HIDDEN)(r, w),
        )
    ],
}

FORMAT_SUFFIX = r"\.(?P<format>[a-z0-9]+)/?$"


def all_routes() -> list[str]:
    """Every route of the URLconf except the admin's (tested in test_authorization_admin.py), format twins folded."""
    routes: list[str] = []

    def walk(patterns: list, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if route.startswith("admin/"):
                    continue
                if "<drf_format_suffix" in route:
                    continue
                if route.endswith(FORMAT_SUFFIX):
                    continue  # `.json` twin of a route listed on its own
                routes.append(route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(routes))


def test_every_route_has_an_expectation():
    missing = [route for route in all_routes() if route not in EXPECTED]
    assert missing == [], f"Add these routes to EXPECTED in {__name__}: {missing}"


def test_no_expectation_is_left_for_a_route_that_is_gone():
    assert sorted(set(EXPECTED) - set(all_routes())) == []


@pytest.mark.parametrize("route", sorted(EXPECTED))
def test_route_answers_each_role_as_expected(route, world):
    clients = _clients(world)
    wrong = []
    for method, build, expect in EXPECTED[route]:
        for which in (OWN, OTHERS):
            path = build(world, which)
            for role in ROLES:
                # Django's is_staff flag alone makes a plain requester (with no tickets here).
                expected = expect(OTHER_REQUESTER if role == STAFF_FLAG_ONLY else role, which)
                api = path.startswith("/api/")
                actual = classify(call(clients[role], method, path), api=api)
                if api and role == ANONYMOUS and actual == DENIED:
                    actual = LOGIN  # DRF answers 403 to a caller with no credentials (session auth first)
                if actual != expected:
                    wrong.append(f"{method.upper()} {path} as {role} ({which}): {actual}, expected {expected}")
    assert wrong == []
