"""How the accessibility sweep reaches each page: a path, or a function that drives the page into a state."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.browser.accessibility_world import World
from tickets import presence


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
