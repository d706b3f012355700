"""WCAG 2.1 AA as a test: axe-core runs in Chromium on every page each role can reach,
at a phone width and a desktop width, and must find nothing.

axe-core is vendored in tests/browser/vendor/ (never served to users) and injected
into each page. A route added to the URLconf fails `test_every_html_route_is_swept_or_exempt`
until it is added to SWEEP below or, with a reason, to EXEMPT.
"""

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests.browser.accessibility_axe import axe_violations, describe
from tests.browser.accessibility_pages import (
    ROSTER_OK,
    PageVisit,
    email_choices_refused,
    goto,
    login_error,
    menu_group_open,
    new_ticket_with_suggestions,
    own_role_refused,
    queue_bulk_refused,
    queue_renaming_a_view,
    queue_with_rows_selected,
    queue_with_shortcuts_dialog,
    someone_else_replying,
    submit_without_browser_checks,
    survey_error,
    upload_devices,
    upload_roster,
    writing_a_note,
)
from tests.browser.accessibility_world import World, seed_world, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


# --- what each role can reach -----------------------------------------------------------------
# Each entry: the URL name it covers, how to get there (a path, or a function that drives the
# page into the state to check, e.g. a form's error state), and a label for the report.


SIGNED_OUT = [
    PageVisit("login", "sign-in", goto("/accounts/login/")),
    PageVisit("login", "sign-in with an error", login_error),
    PageVisit("support", "support page", goto("/support/")),
    PageVisit("password_reset", "forgot password", goto("/accounts/password-reset/")),
    PageVisit("password_reset_done", "reset link sent", goto("/accounts/password-reset/sent/")),
    PageVisit("password_reset_confirm", "expired reset link", goto("/accounts/password-reset/MQ/bad-token/")),
    PageVisit("password_reset_complete", "password changed", goto("/accounts/password-reset/done/")),
    PageVisit("survey", "survey", goto(lambda w: f"/surveys/{w.survey_token}/?quality=4")),
    PageVisit("survey", "survey with errors", survey_error),
    PageVisit("survey-thanks", "survey thank-you", goto(lambda w: f"/surveys/{w.answered_token}/thanks/")),
    PageVisit("account_inactive", "single sign-on refused", goto("/accounts/inactive/")),
    PageVisit("socialaccount_login_cancelled", "single sign-on cancelled", goto("/accounts/3rdparty/login/cancelled/")),
    PageVisit("socialaccount_login_error", "single sign-on failed", goto("/accounts/3rdparty/login/error/")),
    PageVisit("family-report", "report a school device", goto("/help/device/")),
    PageVisit(
        "family-report",
        "report a school device with errors",
        submit_without_browser_checks("/help/device/", "main form[novalidate]"),
    ),
    PageVisit("family-report-sent", "report sent, check your email", goto("/help/device/sent/")),
    PageVisit(
        "family-report-follow", "report to confirm", goto(lambda w: f"/help/device/{w.extra['family_waiting']}/")
    ),
    PageVisit("family-report-follow", "report followed", goto(lambda w: f"/help/device/{w.extra['family_followed']}/")),
]
REQUESTER = [
    PageVisit("home", "start page", goto("/")),
    PageVisit("choose-school", "first sign-in: which school", goto("/accounts/welcome/school/")),
    PageVisit("ticket-list", "my requests", goto("/tickets/")),
    PageVisit("ticket-new", "new request", goto("/tickets/new/")),
    PageVisit("kb:suggest", "new request with article suggestions", new_ticket_with_suggestions),
    PageVisit(
        "ticket-new", "new request with errors", submit_without_browser_checks("/tickets/new/", "form.ticket-new-form")
    ),
    PageVisit("ticket-detail", "open request", goto(lambda w: f"/tickets/{w.open_ticket.pk}/")),
    PageVisit("ticket-detail", "request to confirm", goto(lambda w: f"/tickets/{w.resolved_ticket.pk}/")),
    PageVisit("ticket-detail", "request joined with another", goto(lambda w: f"/tickets/{w.extra['merged']}/")),
    PageVisit("kb:index", "self-help", goto("/kb/")),
    PageVisit("kb:index", "self-help search", goto("/kb/?q=projector")),
    PageVisit("kb:detail", "article", goto(lambda w: f"/kb/{w.article.pk}/")),
    PageVisit("profile", "about me", goto("/profile/")),
    PageVisit("email_preferences", "email choices refused", email_choices_refused),
    PageVisit("support", "support page", goto("/support/")),
    PageVisit("survey", "survey", goto(lambda w: f"/surveys/{w.survey_token}/")),
    PageVisit("survey-thanks", "survey thank-you", goto(lambda w: f"/surveys/{w.answered_token}/thanks/")),
    PageVisit("family-report", "report a school device", goto("/help/device/")),
    PageVisit(
        "family-report",
        "report a school device with errors",
        submit_without_browser_checks("/help/device/", "main form[novalidate]"),
    ),
    PageVisit("family-report-sent", "report sent, check your email", goto("/help/device/sent/")),
    PageVisit(
        "family-report-follow", "report to confirm", goto(lambda w: f"/help/device/{w.extra['family_waiting']}/")
    ),
    PageVisit("family-report-follow", "report followed", goto(lambda w: f"/help/device/{w.extra['family_followed']}/")),
]
# The queue's states (issue 19): also swept in Spanish.
QUEUE_STATES = [
    PageVisit("ticket-list", "queue with the shortcuts dialog", queue_with_shortcuts_dialog),
    PageVisit("ticket-list", "queue with rows selected and the bulk bar open", queue_with_rows_selected),
    PageVisit("ticket-list", "queue after a refused bulk action", queue_bulk_refused),
    PageVisit("ticket-list", "a saved view", goto("/tickets/?due=today&open=true&ordering=resolution_due_at")),
    PageVisit("ticket-list", "queue renaming a saved view", queue_renaming_a_view),
]
# The technician's ticket page in its workbench states (issue 19), also swept in Spanish.
TICKET_PAGE_STATES = [
    PageVisit("ticket-detail", "ticket: writing an internal note", writing_a_note),
    PageVisit("ticket-detail", "ticket: a colleague replying, new activity", someone_else_replying),
    PageVisit("ticket-detail", "ticket closed as a duplicate", goto(lambda w: f"/tickets/{w.extra['merged']}/")),
]
TECHNICIAN = [
    PageVisit("today", "today", goto("/today/")),
    PageVisit("ticket-list", "tickets", goto("/tickets/?open=true&ordering=-priority")),
    *QUEUE_STATES,
    PageVisit("ticket-new", "new ticket", goto("/tickets/new/")),
    PageVisit(
        "ticket-new", "new ticket with errors", submit_without_browser_checks("/tickets/new/", "form.ticket-new-form")
    ),
    PageVisit("ticket-detail", "ticket", goto(lambda w: f"/tickets/{w.open_ticket.pk}/")),
    PageVisit("ticket-detail", "resolved ticket", goto(lambda w: f"/tickets/{w.resolved_ticket.pk}/")),
    *TICKET_PAGE_STATES,
    PageVisit("rotations", "rotations", goto("/rotations/")),
    PageVisit("coverage", "coverage", goto("/rotations/coverage/")),
    PageVisit("kb:index", "articles", goto("/kb/")),
    PageVisit("kb:new", "write an article", goto("/kb/new/")),
    PageVisit("kb:new", "write an article with errors", submit_without_browser_checks("/kb/new/", "main form")),
    PageVisit("kb:edit", "edit an article", goto(lambda w: f"/kb/{w.article.pk}/edit/")),
    PageVisit("kb:detail", "article", goto(lambda w: f"/kb/{w.article.pk}/")),
    PageVisit("survey", "a survey the technician may not answer", goto(lambda w: f"/surveys/{w.survey_token}/")),
    PageVisit("devices:list", "devices", goto("/assets/")),
    PageVisit("devices:list", "devices search", goto("/assets/?search=okc&warranty=ending")),
    PageVisit("devices:detail", "a device", goto(lambda w: f"/assets/{w.open_ticket.asset_id}/")),
    PageVisit("devices:loaners", "loaners", goto("/loaners/")),
    PageVisit(
        "devices:loaners",
        "lend a loaner with errors",
        submit_without_browser_checks("/loaners/", "main form[novalidate]"),
    ),
    PageVisit("devices:maintenance", "maintenance", goto("/maintenance/")),
    PageVisit("email-needs-look", "email that needs a look", goto("/email/needs-a-look/")),
]
DIRECTOR = [
    PageVisit("rotations", "rotations with the add form", goto("/rotations/")),
    PageVisit(
        "rotations", "add a rotation with errors", submit_without_browser_checks("/rotations/", "main form[novalidate]")
    ),
    PageVisit("rotation_edit", "edit a rotation", goto(lambda w: f"/rotations/{w.rotation.pk}/edit/")),
    PageVisit("calendar_settings", "district calendar", goto("/calendar/")),
    PageVisit("survey-follow-up", "survey follow-up", goto("/surveys/follow-up/")),
    PageVisit("kb:stats", "article statistics", goto("/kb/stats/")),
    PageVisit("dashboard", "dashboard", goto("/dashboard/")),
    PageVisit("dashboard-goals", "goals", goto("/dashboard/goals/")),
    PageVisit("vendors", "vendors", goto("/vendors/")),
    PageVisit("person_list", "people", goto("/people/")),
    PageVisit("person_list", "people filtered", goto("/people/?role=requester&is_active=true&search=a")),
    PageVisit("person_detail", "a person", goto(lambda w: f"/people/{w.teacher.pk}/")),
    PageVisit("person_detail", "a person with errors", own_role_refused),
    PageVisit("person_active", "confirm deactivation", goto(lambda w: f"/people/{w.teacher.pk}/active/")),
    PageVisit("school_list", "schools with the add form", goto("/schools/")),
    PageVisit(
        "school_list", "add a school with errors", submit_without_browser_checks("/schools/", "main form[novalidate]")
    ),
    PageVisit("school_edit", "edit a school", goto(lambda w: f"/schools/{w.school.pk}/")),
    PageVisit("category_list", "categories with the add form", goto("/categories/")),
    PageVisit(
        "category_list",
        "add a category with errors",
        submit_without_browser_checks("/categories/", "main form[novalidate]"),
    ),
    PageVisit("category_edit", "edit a category", goto(lambda w: f"/categories/{w.open_ticket.category_id}/")),
    PageVisit("sla_targets", "response and fix targets", goto("/calendar/targets/")),
    PageVisit("devices:maintenance", "maintenance plans with the add form", goto("/maintenance/")),
    PageVisit(
        "devices:maintenance",
        "add a plan with errors",
        submit_without_browser_checks("/maintenance/", "main form[novalidate]"),
    ),
    PageVisit("devices:import", "import devices", goto("/assets/import/")),
    PageVisit("devices:import", "import preview", upload_devices("tag,kind,model\nOKC-AXE-1,laptop,Latitude\n")),
    PageVisit("devices:import", "import refused with errors", upload_devices("tag,kind\nOKC-AXE-2,toaster\n")),
    PageVisit("roster_import", "import the roster", goto("/people/import/")),
    PageVisit("roster_import", "roster preview", upload_roster(ROSTER_OK)),
    PageVisit(
        "roster_import",
        "roster refused with errors",
        upload_roster("email,first_name,last_name,role,school\nnobody,A,B,wizard,\n"),
    ),
    PageVisit(
        "roster_import_detail", "a roster import applied", goto(lambda w: f"/people/import/{w.extra['roster_import']}/")
    ),
    PageVisit("dashboard", "the menu's reports open", menu_group_open("reports")),
    PageVisit("dashboard", "the menu's settings open", menu_group_open("settings")),
]
# The director's pages this issue touched, in Spanish (longer words, the Spanish texts of the rows).
DIRECTOR_IN_SPANISH = [
    visit
    for visit in DIRECTOR
    if visit.name
    in {
        "dashboard",
        "dashboard-goals",
        "category_list",
        "category_edit",
        "calendar_settings",
        "sla_targets",
        "kb:stats",
    }
] + [PageVisit("profile", "about me", goto("/profile/")), PageVisit("support", "support page", goto("/support/"))]
SWEEP = {
    "signed out": SIGNED_OUT,
    "requester": REQUESTER,
    "requester in Spanish": REQUESTER,  # the browser asks for Spanish: lang="es", longer words
    "technician": TECHNICIAN,
    "technician in Spanish": QUEUE_STATES + TICKET_PAGE_STATES,
    "director": DIRECTOR,
    "director in Spanish": DIRECTOR_IN_SPANISH,
}

# Routes that are not pages, each with the reason. Everything else must be in SWEEP.
EXEMPT_PREFIXES = {
    "admin/": "Django's admin, for superusers; not our templates",
    "api/": "JSON API (and DRF's browsable/Swagger views from vendored packages)",
}
EXEMPT = {
    "accounts/logout/": "POST-only: signs out and redirects",
    "i18n/setlang/": "POST-only: Django's set_language, redirects back",
    "rotations/<int:pk>/delete/": "POST-only action, redirects",
    "calendar/closures/<int:pk>/delete/": "POST-only action, redirects",
    "calendar/feed/reset/": "POST-only action, redirects",
    "calendar/<str:token>.ics": "iCalendar feed, not HTML",
    "health/": "the health check: plain text or JSON, not HTML",
    "surveys/follow-up/<int:pk>/": "POST-only action, redirects",
    "surveys/responses.csv": "CSV export",
    "tickets/export.csv": "CSV export of the queue view",
    "tickets/bulk/": "POST-only (the queue's bulk bar), redirects to the queue",
    "tickets/views/": "POST-only (save a queue view), redirects to the queue",
    "tickets/views/<int:pk>/delete/": "POST-only (remove a queue view), redirects to the queue",
    "tickets/views/<int:pk>/rename/": "POST-only (rename a queue view), redirects to it; its form is swept open",
    "profile/sign-out-everywhere/": "POST-only action: ends every session, redirects to sign-in",
    "email/needs-a-look/<int:pk>/retry/": "POST-only action, redirects to the list",
    "email/needs-a-look/<int:pk>/dismiss/": "POST-only action, redirects to the list",
    "surveys/<str:token>/opened/": "POST-only, called by the survey page's script: records the opening, answers 204",
    "tickets/<int:pk>/comment/": "POST-only action, redirects (errors re-render ticket-detail)",
    "tickets/<int:pk>/update/": "POST-only action, redirects (errors re-render ticket-detail)",
    "tickets/<int:pk>/assign/": "POST-only action, redirects",
    "tickets/<int:pk>/start/": "POST-only action, redirects",
    "tickets/<int:pk>/wait/": "POST-only action, redirects",
    "tickets/<int:pk>/resolve/": "POST-only action, redirects",
    "tickets/<int:pk>/close/": "POST-only action, redirects",
    "tickets/<int:pk>/reopen/": "POST-only action, redirects",
    "tickets/<int:pk>/followers/": "POST-only action, redirects (errors re-render ticket-detail)",
    "tickets/<int:pk>/followers/<int:user_pk>/remove/": "POST-only action, redirects",
    "tickets/<int:pk>/merge/": "POST-only action, redirects (errors re-render ticket-detail)",
    "tickets/<int:pk>/presence/": "a fragment polled into ticket-detail; swept there with its banners showing",
    "today/tickets/<int:pk>/start/": "POST-only action, redirects",
    "today/tickets/<int:pk>/resolve/": "POST-only action, redirects",
    "today/visits/<int:pk>/check-in/": "POST-only action, redirects",
    "today/visits/<int:pk>/complete/": "POST-only action, redirects",
    "kb/from-ticket/<int:ticket_id>/": "POST-only action, redirects to kb:edit",
    "loaners/<int:pk>/check-in/": "POST-only action, redirects",
    "assets/import/<int:pk>/apply/": "POST-only action, redirects to devices:import",
    "people/import/<int:pk>/apply/": "POST-only action, redirects to roster_import_detail",
    "people/import/<int:pk>/progress/": "JSON polled by roster-import.js while an import runs",
    "maintenance/tasks/<int:pk>/done/": "POST-only action, redirects (Today or maintenance)",
    "maintenance/tasks/<int:pk>/skip/": "POST-only action, redirects (Today or maintenance)",
    "kb/<int:pk>/vote/": "POST-only action, redirects",
    "kb/<int:pk>/solved/": "POST-only (fetch from kb-suggest.js); its fragment is swept inside ticket-new",
    "dashboard/export.csv": "CSV export",
    "dashboard/goals/<int:pk>/": "the goals page (swept) with one goal's form filled in",
    "tickets/<int:pk>/escalate/": "POST-only action, redirects",
    "vendor-cases/<int:pk>/returned/": "POST-only action, redirects",
    "people/<int:user_id>/assessment/": "POST-only action, redirects",
    "people/<int:pk>/campus-contact/": "POST-only action, redirects",
    "tickets/<int:pk>/attachments/": "POST-only upload, redirects (the list is swept inside ticket-detail)",
    "tickets/<int:pk>/attachments/<int:attachment_pk>/": "a file download, not HTML",
    # Single sign-on (people/sso_urls.py): each provider's URLs exist only with the provider
    # configured, and only redirect to or back from it; the pages a person sees are swept.
    "accounts/login/": "the sign-in page (swept as `login`); `account_login` is allauth's name for it",
    "accounts/google/login/": "POST-only (the sign-in page's button): redirects to Google",
    "accounts/google/login/callback/": "back from Google: redirects (or the swept refusal page)",
    "accounts/google/login/token/": "POST-only: Google One Tap token sign-in, redirects",
    "accounts/microsoft/login/": "POST-only (the sign-in page's button): redirects to Microsoft",
    "accounts/microsoft/login/callback/": "back from Microsoft: redirects (or the swept refusal page)",
    "accounts/oidc/<str:provider_id>/login/": "POST-only (the sign-in page's button): redirects to the provider",
    "accounts/oidc/<str:provider_id>/login/callback/": "back from the provider: redirects (or the refusal page)",
    "accounts/3rdparty/signup/": "redirects: sign-up is automatic, allauth's form is never shown",
}


def all_routes(patterns: list[Any] | None = None, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    """(route, name) for every pattern in the URLconf, walking includes."""
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            routes += all_routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            routes.append((prefix + str(pattern.pattern), namespace + (pattern.name or "")))
    return routes


def test_every_html_route_is_swept_or_exempt() -> None:
    swept = {visit.name for visits in SWEEP.values() for visit in visits}
    missing = []
    for route, name in all_routes():
        if any(route.startswith(prefix) for prefix in EXEMPT_PREFIXES) or route in EXEMPT:
            continue
        if name not in swept:
            missing.append(f"{route} ({name or 'unnamed'})")
    assert not missing, "Pages without an axe check: add them to SWEEP or, with a reason, to EXEMPT:\n" + "\n".join(
        missing
    )
    stale = [route for route in EXEMPT if route not in {route for route, _ in all_routes()}]
    assert not stale, f"EXEMPT lists routes that no longer exist: {stale}"


# --- the sweep ---------------------------------------------------------------------------------


def sweep(
    browser: Any, base_url: str, user: Any, visits: list[PageVisit], world: World, locale: str = "en-US"
) -> list[str]:
    """Each visit once, at the phone width, then axe at the phone and the desktop width (the page
    resized in place: the state the visit reached is checked at both)."""
    failures = []
    # The site's Content-Security-Policy forbids injected scripts, axe included.
    context = browser.new_context(viewport=PHONE, base_url=base_url, locale=locale, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        if user is not None:
            sign_in(page, user)
        for visit in visits:
            page.set_viewport_size(PHONE)
            visit.go(page, world)
            reached = resolve(urlsplit(page.url).path).view_name
            # kb:suggest is a fragment fetched into the new-request page, so it is checked there.
            if visit.name != "kb:suggest":
                assert reached == visit.name, f"{visit.label}: expected {visit.name}, landed on {reached} ({page.url})"
            assert page.locator("html").get_attribute("lang") == locale[:2], f"{visit.label}: wrong lang"
            for viewport_name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
                page.set_viewport_size(viewport)
                violations = axe_violations(page)
                if violations:
                    failures.append(f"{visit.label} at {viewport_name} width ({page.url}):\n{describe(violations)}")
    finally:
        context.close()
    return failures


@pytest.mark.parametrize("role", list(SWEEP))
def test_no_axe_violations_on_any_page(role: str, browser: Any, live_server: Any) -> None:
    world = seed_world()
    user = {
        "signed out": None,
        "requester": world.teacher,
        "requester in Spanish": world.teacher,
        "technician": world.technician,
        "technician in Spanish": world.technician,
        "director": world.director,
        "director in Spanish": world.director,
    }[role]
    locale = "es-ES" if "Spanish" in role else "en-US"
    failures = sweep(browser, live_server.url, user, SWEEP[role], world, locale)
    assert not failures, f"axe found WCAG 2.1 AA violations for the {role}:\n" + "\n".join(failures)


def test_axe_check_catches_a_violation(browser: Any, live_server: Any) -> None:
    """The sweep would pass vacuously if axe never ran: an image without alt text must fail."""
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.goto("/support/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=x.png>')")
    assert [v["id"] for v in axe_violations(page)] == ["image-alt"]
    context.close()
