"""The trimmed Bootstrap stylesheet (bootstrap.purged.min.css, `make css`) draws every page exactly
as Bootstrap's whole stylesheet does: on each page the accessibility sweep visits, at a phone and a
desktop width, every element's computed style is the same with either file."""

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.test_accessibility import DESKTOP, PHONE, SWEEP, seed_world, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FULL_CSS = (Path(__file__).resolve().parents[2] / "static/vendor/bootstrap/bootstrap.min.css").read_text()

# The properties Bootstrap's whole stylesheet sets (`margin` stands for `margin-top` and the rest):
# a rule the trimmed file lost changes one of these on some element, or the layout, which shows in
# `width` and `height`. Leaving out the rest (and the custom properties, which act only through
# these) makes each comparison about twice as quick.
SET_BY_BOOTSTRAP = sorted({name for name in re.findall(r"[{;]\s*([a-z-]+)\s*:", FULL_CSS) if not name.startswith("--")})

# Every element (and its ::before and ::after) with its computed style, in document order, as one
# string per element; the navbar's menu is opened first so its contents are drawn at the phone width
# too, and transitions (an autofocused field's ring) are finished. The strings stay in the page
# (`window.__styles[key]`): only the differences travel back to the test.
DUMP = """([key, setByBootstrap]) => {
    const nav = document.getElementById("nav");
    if (nav) nav.classList.add("show");
    document.getAnimations().forEach((animation) => animation.finish());  // e.g. a field's focus ring
    const sample = getComputedStyle(document.body);
    const names = [];
    for (let k = 0; k < sample.length; k++) {
        const name = sample[k];
        if (setByBootstrap.some((set) => name === set || name.startsWith(set + "-"))) names.push(name);
    }
    const out = [];
    document.querySelectorAll("body *").forEach((el, i) => {
        for (const pseudo of [null, "::before", "::after"]) {
            const style = getComputedStyle(el, pseudo);
            if (pseudo && style.content === "none") continue;
            const values = names.map((name) => name + ":" + style.getPropertyValue(name));
            const tag = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
                (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
            out.push([i + " " + tag + (pseudo || ""), values.join(";")]);
        }
    });
    (window.__styles = window.__styles || {})[key] = out;
    return out.length;
}"""

# The two dumps of one width, compared in the page: at most five differences, each with the
# properties that changed.
COMPARE = """([mineKey, theirsKey]) => {
    const mine = window.__styles[mineKey], theirs = window.__styles[theirsKey];
    if (mine.length !== theirs.length || mine.some(([name], i) => name !== theirs[i][0])) {
        return ["the pages' elements differ between the two stylesheets"];
    }
    const found = [];
    for (let i = 0; i < mine.length && found.length < 5; i++) {
        if (mine[i][1] === theirs[i][1]) continue;
        const a = new Set(mine[i][1].split(";")), b = new Set(theirs[i][1].split(";"));
        const changed = [...a].filter((v) => !b.has(v)).concat([...b].filter((v) => !a.has(v))).sort();
        found.push(mine[i][0] + ": " + JSON.stringify(changed.slice(0, 6)));
    }
    return found;
}"""

# Points the page's Bootstrap stylesheet at `href` in place (the same DOM, nothing reloaded) and
# waits until it has loaded.
SWAP = """(href) => new Promise((resolve, reject) => {
    const link = document.querySelector('link[rel=stylesheet][href*="bootstrap."]');
    if (!link) { reject(new Error("no Bootstrap stylesheet on this page")); return; }
    const before = link.getAttribute("href");
    link.addEventListener("load", () => resolve(before), { once: true });
    link.addEventListener("error", () => reject(new Error(href + " did not load")), { once: true });
    link.href = href;
})"""
# Two animation frames: what reacts to a new width (a chart redrawing itself) has drawn.
SETTLE = "() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))"
FULL_CSS_URL = "/__test__/bootstrap.full.min.css"

# Addresses that answer only POST: a visit ending there cannot be reloaded for the comparison.
POST_ONLY = ("/profile/email",)


def addresses(page: Any, role: str, world: Any) -> list[str]:
    """Each address the sweep's visits end at, once: the comparison loads each one afresh (a GET,
    also where a visit ended on a form's POST), so states that differ only by what was typed or
    clicked on the same address are the same page here."""
    found: list[str] = []
    for visit in SWEEP[role]:
        url = getattr(visit.go, "url", None)  # a plain visit: its address, without the trip
        if url is None:
            visit.go(page, world)
            url = page.url
        elif callable(url):
            url = url(world)
        if url.rstrip("/").endswith(POST_ONLY):
            # The state is the answer to a POST (e.g. a refused form) at an address that a GET
            # cannot load again; its page is compared where it is a GET.
            continue
        parts = urlsplit(url)  # a visit's own address is relative, page.url absolute
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        if url not in found:
            found.append(url)
    return found


def compare(page: Any, url: str) -> tuple[int, list[str]]:
    """One address: its styles at the phone width with the trimmed file, then the whole one; then
    at the desktop width with the whole file, then the trimmed one (one change of width)."""
    page.goto(url)
    # The ticket page's live banner (who else is here, new activity) fills in when its poll
    # answers, so the two dumps could differ in it by timing alone: compared without it.
    page.evaluate("document.getElementById('presence')?.remove()")
    compared, found = 0, []
    trimmed_url = None
    for viewport, first, second in ((PHONE, "trimmed", "full"), (DESKTOP, "full", "trimmed")):
        page.set_viewport_size(viewport)
        page.evaluate(SETTLE)
        width = viewport["width"]
        compared += page.evaluate(DUMP, [f"{first}-{width}", SET_BY_BOOTSTRAP])
        if second == "full":
            trimmed_url = page.evaluate(SWAP, FULL_CSS_URL)
        else:
            page.evaluate(SWAP, trimmed_url)
        page.evaluate(SETTLE)
        page.evaluate(DUMP, [f"{second}-{width}", SET_BY_BOOTSTRAP])
        for difference in page.evaluate(COMPARE, [f"trimmed-{width}", f"full-{width}"]):
            found.append(f"{url} at {width}px: {difference}")
    return compared, found


@pytest.mark.parametrize("role", ["signed out", "requester", "technician", "director"])
def test_every_page_looks_the_same_with_the_trimmed_bootstrap(role: str, browser: Any, live_server: Any) -> None:
    world = seed_world()
    user = {"signed out": None, "requester": world.teacher, "technician": world.technician, "director": world.director}
    # As the axe sweep does: its visits wait with page functions the app's CSP would refuse.
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="en-US", bypass_csp=True)
    context.set_default_timeout(10_000)
    context.route(f"**{FULL_CSS_URL}", lambda route: route.fulfill(status=200, content_type="text/css", body=FULL_CSS))
    page = context.new_page()
    failures, compared = [], 0
    try:
        if user[role] is not None:
            sign_in(page, user[role])
        urls = addresses(page, role, world)
        for url in urls:
            elements, found = compare(page, url)
            compared += elements
            failures += found
    finally:
        context.close()
    assert len(urls) > 3 and compared > 200
    assert not failures, "run `make css`; the trimmed stylesheet draws these differently:\n" + "\n".join(failures)


def test_the_comparison_sees_a_rule_the_trimmed_file_dropped(browser: Any, live_server: Any) -> None:
    """The sweep would pass vacuously if the swap changed nothing: a rule only the whole file
    has (here, one added to it) must show as a difference."""
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, bypass_csp=True)
    body = FULL_CSS + "\nfooter{letter-spacing:3px}"
    context.route(f"**{FULL_CSS_URL}", lambda route: route.fulfill(status=200, content_type="text/css", body=body))
    page = context.new_page()
    try:
        _compared, found = compare(page, "/support/")
    finally:
        context.close()
    assert found and all("letter-spacing" in difference for difference in found[:1]), found
