"""The trimmed Bootstrap stylesheet (bootstrap.purged.min.css, `make css`) draws every page exactly
as Bootstrap's whole stylesheet does: on each page the accessibility sweep visits, at a phone and a
desktop width, every element's computed style is the same with either file."""

from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_accessibility import DESKTOP, PHONE, SWEEP, seed_world, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FULL_CSS = (Path(__file__).resolve().parents[2] / "static/vendor/bootstrap/bootstrap.min.css").read_text()

# Every element (and its ::before and ::after) with its computed style, in document order; the
# navbar's menu is opened first so its contents are drawn at the phone width too, and transitions
# (an autofocused field's ring) are finished.
STYLES = """() => {
    const nav = document.getElementById("nav");
    if (nav) nav.classList.add("show");
    document.getAnimations().forEach((animation) => animation.finish());  // e.g. a field's focus ring
    const out = [];
    document.querySelectorAll("body *").forEach((el, i) => {
        for (const pseudo of [null, "::before", "::after"]) {
            const style = getComputedStyle(el, pseudo);
            if (pseudo && style.content === "none") continue;
            const values = [];
            for (let k = 0; k < style.length; k++) values.push(style[k] + ":" + style.getPropertyValue(style[k]));
            const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
                (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
            out.push([i + " " + name + (pseudo || ""), values.join(";")]);
        }
    });
    return out;
}"""


# Addresses that answer only POST: a visit ending there cannot be reloaded for the comparison.
POST_ONLY = ("/profile/email",)


def differences(trimmed: list[list[str]], full: list[list[str]]) -> list[str]:
    if [name for name, _ in trimmed] != [name for name, _ in full]:
        return ["the pages' elements differ between the two loads"]
    found = []
    for (name, mine), (_, theirs) in zip(trimmed, full, strict=True):
        if mine != theirs:
            changed = sorted(set(mine.split(";")) ^ set(theirs.split(";")))
            found.append(f"{name}: {changed[:6]}")
    return found


def styles_with(page: Any, *, full: bool) -> list[list[str]]:
    if full:
        page.route(
            "**/bootstrap.purged.min*.css",
            lambda route: route.fulfill(status=200, content_type="text/css", body=FULL_CSS),
        )
    else:
        page.unroute("**/bootstrap.purged.min*.css")
    page.goto(page.url)  # a GET, also where the visit ended on a form's POST
    # The ticket page's live banner (who else is here, new activity) fills in when its poll
    # answers, so two loads can differ in it by timing alone: compared without it.
    page.evaluate("document.getElementById('presence')?.remove()")
    return page.evaluate(STYLES)


@pytest.mark.parametrize("role", ["signed out", "requester", "technician", "director"])
def test_every_page_looks_the_same_with_the_trimmed_bootstrap(role: str, browser: Any, live_server: Any) -> None:
    world = seed_world()
    user = {"signed out": None, "requester": world.teacher, "technician": world.technician, "director": world.director}
    failures, compared = [], 0
    for viewport in (PHONE, DESKTOP):
        # As the axe sweep does: its visits wait with page functions the app's CSP would refuse.
        context = browser.new_context(viewport=viewport, base_url=live_server.url, locale="en-US", bypass_csp=True)
        context.set_default_timeout(10_000)
        page = context.new_page()
        try:
            if user[role] is not None:
                sign_in(page, user[role])
            for visit in SWEEP[role]:
                visit.go(page, world)
                if page.url.rstrip("/").endswith(POST_ONLY):
                    # The state is the answer to a POST (e.g. a refused form) at an address
                    # that a GET cannot load again; its page is compared where it is a GET.
                    continue
                trimmed = styles_with(page, full=False)
                full = styles_with(page, full=True)
                page.unroute("**/bootstrap.purged.min*.css")
                compared += len(trimmed)
                for difference in differences(trimmed, full)[:5]:
                    failures.append(f"{visit.label} at {viewport['width']}px: {difference}")
        finally:
            context.close()
    assert compared > 200
    assert not failures, "run `make css`; the trimmed stylesheet draws these differently:\n" + "\n".join(failures)
