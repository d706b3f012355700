"""WCAG 2.1 AA as a test: axe-core runs in Chromium on every page each role can reach,
at a phone width and a desktop width, and must find nothing.

axe-core is vendored in tests/browser/vendor/ (never served to users) and injected
into each page. A route added to the URLconf fails `test_every_html_route_is_swept_or_exempt`
until it is added to SWEEP below or, with a reason, to EXEMPT.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from devices import services as device_services
from devices.models import Asset
from notifications.models import InboundEmail
from people.models import RosterImport
from schools import services as school_services
from schools.models import Visit
from surveys import services as survey_services
from tests import factories
from tickets import family, followers, merge, presence, services
from tickets.kb import services as kb_services
from tickets.models import SavedReply, SavedView, Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "correct-horse-battery"


# --- the world every page needs --------------------------------------------------------------


@dataclass
class World:
    school: Any
    teacher: Any
    technician: Any
    director: Any
    open_ticket: Ticket
    resolved_ticket: Ticket
    survey_token: str
    answered_token: str
    article: Any
    rotation: Any
    extra: dict[str, Any] = field(default_factory=dict)


def seed_world() -> World:
    """One school with a rotation and a visit today, a teacher's tickets in every state a
    requester meets, a survey to answer and one answered badly (so follow-up has a row),
    and a self-help article."""
    today = timezone.localdate()
    school = factories.SchoolFactory(name="Jefferson Elementary", code="JEF")
    category = factories.CategoryFactory(name="Projector or display", slug="projector")
    factories.CategoryFactory(
        name="Home internet", slug="home-internet", in_scope=False, guidance="Call your provider."
    )
    teacher = factories.UserFactory(username="ana", first_name="Ana", last_name="Ruiz", profile__school=school)
    technician = factories.TechnicianFactory(username="sam", first_name="Sam", last_name="Lee")
    director = factories.DirectorFactory(username="dana", first_name="Dana", last_name="Park")
    rotation = school_services.create_rotation(
        actor=director, technician=technician, school=school, weekdays=[1, 3], start_date=today, today=today
    )
    visit, _ = Visit.objects.get_or_create(technician=technician, school=school, date=today)

    laptop = device_services.save_asset(
        actor=technician,
        changes={
            "tag": "OKC-00042",
            "kind": "laptop",
            "model": "Latitude 3440",
            "school": school,
            "assigned_to": teacher,
            "warranty_end": today + timedelta(days=40),
        },
    )
    loaner = factories.AssetFactory(tag="LOAN-1", school=school, status=Asset.Status.LOANER)
    device_services.check_out_loaner(
        actor=technician, loaner=loaner, borrower=teacher, for_asset=laptop, due_back=today + timedelta(days=7)
    )
    factories.AssetFactory(tag="LOAN-2", school=school, status=Asset.Status.LOANER)
    device_services.save_plan(
        actor=director,
        changes={"title": "Clean projector filters", "checklist": "Open the cover\nVacuum", "starts_on": today},
        today=today,
    )
    open_ticket = factories.TicketFactory(
        requester=teacher,
        category=category,
        title="Projector in room 12 won't turn on",
        impact="high",
        urgency="high",
        asset_tag="OKC-00042",
    )
    services.assign_ticket(actor=technician, ticket=open_ticket, assignee=technician)
    services.add_comment(actor=technician, ticket=open_ticket, body="I'll bring a new lamp at 10.")
    services.add_comment(actor=technician, ticket=open_ticket, body="Lamp part number 44-A.", internal=True)
    Ticket.objects.filter(pk=open_ticket.pk).update(service_mode=Ticket.ServiceMode.ON_SITE, visit=visit)
    remote = factories.TicketFactory(requester=teacher, category=category, title="Printer offline", impact="low")
    services.assign_ticket(actor=technician, ticket=remote, assignee=technician)

    resolved_ticket = factories.TicketFactory(requester=teacher, category=category, title="Document camera is blurry")
    services.assign_ticket(actor=technician, ticket=resolved_ticket, assignee=technician)
    services.resolve_ticket(
        actor=technician,
        ticket=resolved_ticket,
        resolution="Cleaned the lens.",
        self_help="Wipe the lens with the cloth in the drawer.",
    )

    def closed(title: str) -> Ticket:
        ticket = factories.TicketFactory(requester=teacher, category=category, title=title)
        services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
        services.resolve_ticket(actor=technician, ticket=ticket, resolution="Reset it.", self_help="Hold power 10 s.")
        return services.close_ticket(actor=teacher, ticket=ticket)

    to_answer = closed("Laptop won't charge")
    answered = closed("Wi-Fi drops in room 4")
    survey_services.record_answer(
        invitation=answered.survey_invitation, user=teacher, timeliness=2, quality=1, comment="Took a week."
    )
    article = kb_services.create_article(
        actor=technician,
        title="Projector shows no picture",
        body="Press the **Input** button until *HDMI 1* shows.",
        category=category,
    )
    waiting = family.report_device_problem(identifier="OKC-00042", description="Black screen.", email="mom@example.com")
    followed = family.report_device_problem(identifier="OKC-00042", description="No sound.", email="dad@example.com")
    family_ticket = family.confirm_report(report=followed)
    services.add_comment(actor=technician, ticket=family_ticket, body="Please bring it to the office.")
    # Email that needs a look: one staff can try again, one too large to keep.
    InboundEmail.objects.create(
        message_id="<a@x>", outcome="needs_look", sender="ana@district.example", subject="Printer", reason="no school"
    )
    InboundEmail.objects.create(
        message_id="<b@x>",
        outcome="needs_look",
        sender="ana@district.example",
        subject="Photos",
        reason="too large",
    )
    InboundEmail.objects.filter(message_id="<a@x>").update(raw=b"From: ana@district.example")
    roster = RosterImport.objects.create(
        source=RosterImport.Source.SCHEDULED, status=RosterImport.Status.APPLIED, filename="/srv/roster.zip",
        checksum="0" * 64, new_people=12, changed_people=3, deactivated=1, total=16, done=16,
        finished_at=timezone.now(),
    )  # fmt: skip
    # The workbench's ticket page: a duplicate merged in, a follower, a saved reply to insert.
    duplicate = factories.TicketFactory(requester=teacher, category=category, title="Projector room 12 again")
    merge.merge_ticket(actor=technician, source=duplicate, target_id=open_ticket.pk)
    followers.add_follower(actor=technician, ticket=open_ticket, follower=director)
    SavedReply.objects.create(title="On my way", body="Hi {first_name}, I come {next_visit}.", owner=technician)
    SavedView.objects.create(owner=technician, name="Projectors", query="open=true&search=projector")
    return World(
        extra={
            "family_waiting": waiting.token,
            "family_followed": followed.token,
            "roster_import": roster.pk,
            "merged": duplicate.pk,
        },
        school=school,
        teacher=teacher,
        technician=technician,
        director=director,
        open_ticket=open_ticket,
        resolved_ticket=resolved_ticket,
        survey_token=to_answer.survey_invitation.token,
        answered_token=answered.survey_invitation.token,
        article=article,
        rotation=rotation,
    )


def sign_in(page: Any, user: Any) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, "sign-in failed"


# --- running axe -----------------------------------------------------------------------------


def axe_violations(page: Any) -> list[dict[str, Any]]:
    # A button just pressed is still fading into its hover colours; axe must judge the colours a
    # person reads, not a frame halfway between (4.35:1 mid-fade, 4.69:1 once it settles).
    # Two animation frames first: what reacts to a new width (a chart) has drawn itself again.
    page.evaluate("() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))")
    page.evaluate("document.getAnimations().forEach((animation) => animation.finish())")
    if not page.evaluate("typeof window.axe !== 'undefined'"):  # the same page at its second width
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS
    )
    return result["violations"]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        targets = [" ".join(node["target"]) for node in violation["nodes"][:5]]
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
        lines.extend(f"      {node['failureSummary']}".replace("\n", " ") for node in violation["nodes"][:2])
    return "\n".join(lines)


# --- what each role can reach -----------------------------------------------------------------
# Each entry: the URL name it covers, how to get there (a path, or a function that drives the
# page into the state to check, e.g. a form's error state), and a label for the report.


@dataclass
class PageVisit:
    name: str
    label: str
    go: Callable[[Any, World], None]


def goto(url: Callable[[World], str] | str) -> Callable[[Any, World], None]:
    def go(page: Any, world: World) -> None:
        page.goto(url(world) if callable(url) else url)

    go.url = url  # type: ignore[attr-defined]  # the trimmed-CSS comparison loads it without the visit
    return go


def submit_without_browser_checks(url: str, form: str) -> Callable[[Any, World], None]:
    """The server's error state: the browser's own `required` checks are switched off."""

    def go(page: Any, world: World) -> None:
        page.goto(url)
        page.locator(form).evaluate("form => { form.noValidate = true; }")
        page.locator(f"{form} [type=submit]").last.click()
        page.wait_for_load_state()

    return go


def queue_with_shortcuts_dialog(page: Any, world: World) -> None:
    page.goto("/tickets/")
    page.keyboard.press("?")
    page.locator("#shortcuts-dialog[open]").wait_for()


def queue_with_rows_selected(page: Any, world: World) -> None:
    """The bulk bar open with two rows ticked (by keyboard), after the filters swapped the results."""
    page.goto("/tickets/")
    page.locator("#id_search").fill(" ")
    page.wait_for_url(lambda url: "search=" in url)
    page.locator("#id_search").blur()
    for key in ("j", "x", "j", "x"):
        page.keyboard.press(key)
    page.locator(".bulk-bar summary").click()


def queue_renaming_a_view(page: Any, world: World) -> None:
    """A saved view's rename box open (by keyboard), its name ready to edit."""
    page.goto("/tickets/")
    page.locator(".queue-view-rename summary").focus()
    page.keyboard.press("Enter")
    page.locator(".queue-view-rename[open] input[name=name]").wait_for()


def queue_bulk_refused(page: Any, world: World) -> None:
    """A bulk action with nothing selected: the message, on the same view."""
    page.goto("/tickets/?open=true")
    page.get_by_role("button", name=re.compile(r"^(Start|Empezar)$")).click()
    page.wait_for_load_state()


def own_role_refused(page: Any, world: World) -> None:
    """The people page's error state: the director tries to take away their own role."""
    page.goto(f"/people/{world.director.pk}/")
    page.select_option("#id_role", "requester")
    page.locator("main form[novalidate] [type=submit]").click()
    page.wait_for_load_state()


def email_choices_refused(page: Any, world: World) -> None:
    """The profile page's email section after every essential email was unticked."""
    page.goto("/profile/")
    for box in page.locator("#email-choices input[type=checkbox]").all():
        box.uncheck()
    page.locator("#email-choices [type=submit]").click()
    page.wait_for_load_state()


def upload(url: str, field: str, name: str, text: str) -> Callable[[Any, World], None]:
    """An import page after a file is chosen and previewed (or refused with its errors)."""

    def go(page: Any, world: World) -> None:
        page.goto(url)
        page.locator(field).set_input_files({"name": name, "mimeType": "text/csv", "buffer": text.encode()})
        page.locator("main form[enctype] [type=submit]").click()
        page.wait_for_load_state()

    return go


def upload_devices(text: str) -> Callable[[Any, World], None]:
    return upload("/assets/import/", "#id_file", "devices.csv", text)


ROSTER_OK = "email,first_name,last_name,role,school\nax.e@district.example,Ax,E,teacher,JEF\n"


def upload_roster(people_csv: str) -> Callable[[Any, World], None]:
    """A plain people.csv on the roster import page."""
    return upload("/people/import/", "#id_roster", "people.csv", people_csv)


def menu_group_open(group: str) -> Callable[[Any, World], None]:
    """The dashboard with one of the director's menu groups ("reports", "settings") open."""

    def go(page: Any, world: World) -> None:
        page.goto("/dashboard/")
        toggler = page.locator(".navbar-toggler")
        if toggler.is_visible():
            toggler.click()
        page.locator(f"#nav-{group} > summary").click()

    return go


def login_error(page: Any, world: World) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("nobody")
    page.locator("#id_password").fill("wrong")
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_load_state()


def survey_error(page: Any, world: World) -> None:
    page.goto(f"/surveys/{world.survey_token}/")
    # The ratings start preselected (one press answers); the error state needs them cleared.
    page.evaluate(
        "document.querySelectorAll('main input[type=radio]').forEach(r => { r.checked = false; });"
        "document.querySelectorAll('main form').forEach(f => { f.noValidate = true; });"
    )
    page.get_by_role("button", name="Send my answer").click()
    page.wait_for_load_state()


def writing_a_note(page: Any, world: World) -> None:
    """The composer switched to an internal note (yellow, its own label and button), a saved reply inserted."""
    page.goto(f"/tickets/{world.open_ticket.pk}/")
    page.locator("label[for=id_composer_kind_note]").click()
    page.select_option("#id_composer_saved_reply", label="On my way")
    page.locator(".composer-insert").click()
    page.wait_for_function("document.getElementById('id_composer_body').value.includes('Hi Ana')")
    page.select_option("#id_composer_then", "wait_third_party")


def someone_else_replying(page: Any, world: World) -> None:
    """The live banner: a colleague replying, and new activity since the page was drawn."""
    presence.report(ticket_id=world.open_ticket.pk, user=world.director, state="replying")
    page.goto(f"/tickets/{world.open_ticket.pk}/")
    page.locator(".presence-other").wait_for()
    page.evaluate(
        "document.querySelector('#presence-form [name=since]').value = '0';"
        "htmx.trigger(document.getElementById('presence'), 'presence-poll');"
    )
    page.locator(".presence-new").wait_for()


def new_ticket_with_suggestions(page: Any, world: World) -> None:
    page.goto("/tickets/new/")
    page.locator("#id_title").fill("projector picture")
    page.locator(".kb-suggestions").wait_for()


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
