"""A technician's morning in headless Chromium (issue 19): the queue with the keyboard alone
(j / x to pick three tickets, the bulk bar to assign them, ? for the list of keys), filters
that apply as they change, answering one ticket with a saved reply and putting it on hold for a part in the same step, and a
quick resolve with a tip from Today."""

import re

import pytest

from schools.models import Rotation
from tests import factories
from tickets.models import SavedReply, Ticket

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def morning(browser, live_server):
    school = factories.SchoolFactory(name="Roosevelt Middle")
    technician = factories.TechnicianFactory(first_name="Sam", last_name="Lee")
    Rotation.objects.create(technician=technician, school=school, weekdays=[1, 2, 3, 4, 5], start_date="2020-01-01")
    teacher = factories.UserFactory(first_name="Ana", last_name="Ruiz", profile__school=school)
    category = factories.CategoryFactory()
    SavedReply.objects.create(
        title="Part on order",
        body="Hi {first_name}, the part for your request is on order.",
        shared=True,
        owner=factories.DirectorFactory(),
    )
    tickets = [
        factories.TicketFactory(requester=teacher, category=category, title=title, service_mode=mode)
        for title, mode in (
            ("Projector in room 12 is dim", "remote"),
            ("Smartboard pen does not write", "remote"),
            ("Printer jams on every page", "remote"),
            ("Cart of laptops will not charge", "on_site"),
        )
    ]
    Ticket.objects.filter(pk__in=[t.pk for t in tickets]).update(assignee=None, status="new")
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(technician.username)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/today/$"))
    yield page, technician, tickets
    context.close()


def test_a_technicians_morning_with_the_keyboard(morning):
    from playwright.sync_api import expect

    page, technician, tickets = morning
    page.goto("/tickets/")
    rows = page.get_by_test_id("queue-row")
    expect(rows).to_have_count(4)
    # `?` lists the page's keys in a dialog; Escape closes it.
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Next ticket in the list")
    expect(dialog).to_contain_text("Search")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # j / x pick the first three rows (the oldest first, all of them nobody's yet).
    for _ in range(3):
        page.keyboard.press("j")
        page.keyboard.press("x")
    picked = [int(box.get_attribute("value")) for box in page.locator("input[name=ids]:checked").all()]
    assert len(picked) == 3
    expect(page.get_by_test_id("bulk-bar")).to_contain_text("(3 selected)")
    # b goes to the bulk bar's technician (the technician themself by default); Tab, Enter assigns.
    page.keyboard.press("b")
    expect(page.locator("#id_bulk_assignee")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Assign", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text("3 assigned.")
    assert set(Ticket.objects.filter(assignee=technician).values_list("pk", flat=True)) == set(picked)

    # Keys never fire while typing: `/` goes to the search box, where ? and x are text.
    page.keyboard.press("/")
    search = page.get_by_label("Search (title, requester, email or #number)")
    expect(search).to_be_focused()
    page.keyboard.type("?x")
    expect(dialog).to_be_hidden()
    expect(search).to_have_value("?x")
    # Filters apply as they change: the results region is swapped, the address follows.
    search.fill("Ruiz")
    expect(page).to_have_url(re.compile(r"search=Ruiz"))
    expect(rows).to_have_count(4)
    search.fill("Printer")
    expect(page).to_have_url(re.compile(r"search=Printer"))
    expect(rows).to_have_count(1)
    expect(page.get_by_role("link", name="My open")).to_contain_text("3")

    # Open that ticket with the keyboard, answer the teacher and put it on hold for a part.
    page.locator("#id_search").blur()
    page.keyboard.press("j")
    page.keyboard.press("o")
    printer = next(t for t in tickets if t.title.startswith("Printer"))
    page.wait_for_url(re.compile(rf"/tickets/{printer.pk}/$"))
    # The composer: a saved reply inserted (filled for Ana), then sent and put on hold for a part in one step.
    page.get_by_label("Saved reply").select_option(label="Part on order")
    page.get_by_role("button", name="Insert", exact=True).click()
    expect(page.locator("#id_composer_body")).to_have_value(
        re.compile(r"^Hi Ana, the part for your request is on order")
    )
    page.get_by_label("And then").select_option(label="Wait for a part or another company")
    page.locator("#id_composer_reason").fill("Fuser ordered from the vendor")
    page.get_by_role("button", name="Send to Ana").click()
    page.wait_for_load_state()
    printer.refresh_from_db()
    assert (printer.status, printer.waiting_on) == ("waiting", "third_party")
    reply = printer.comments.get()
    assert reply.body.startswith("Hi Ana, the part for your request is on order") and not reply.internal

    # From Today: the on-site cart, not yet on a visit, resolved with a tip for next time.
    cart = next(t for t in tickets if t.title.startswith("Cart"))
    page.goto("/today/")
    page.get_by_label("How it was fixed").last.fill("Reset the cart's breaker.")
    page.get_by_label("How can they fix it themselves next time?").last.fill("Check the breaker behind the cart.")
    page.get_by_role("button", name=f"Resolve #{cart.pk}").click()
    expect(page.locator("#messages")).to_contain_text(f"Resolved #{cart.pk}.")
    cart.refresh_from_db()
    assert cart.status == "resolved" and cart.self_help == "Check the breaker behind the cart."


def test_the_queue_refreshes_itself_but_never_under_a_ticked_box(morning):
    from playwright.sync_api import expect

    page, technician, tickets = morning
    page.clock.install()
    page.goto("/tickets/")
    rows = page.get_by_test_id("queue-row")
    expect(rows).to_have_count(4)
    Ticket.objects.filter(pk=tickets[0].pk).update(title="Projector fixed by a colleague")
    page.locator("input[name=ids]").nth(1).check()
    page.clock.run_for(31_000)
    expect(page.get_by_role("link", name="Projector fixed by a colleague")).to_have_count(0)
    page.locator("input[name=ids]").nth(1).uncheck()
    page.locator("#id_search").focus()  # focus outside the results does not hold the refresh back
    page.clock.run_for(31_000)
    expect(page.get_by_role("link", name="Projector fixed by a colleague")).to_be_visible()


def test_next_and_previous_ticket_of_the_list_with_j_and_k(morning):
    from playwright.sync_api import expect

    page, technician, tickets = morning
    page.goto("/tickets/")
    rows = page.get_by_test_id("queue-row")
    expect(rows).to_have_count(4)
    listed = [rows.nth(i).locator("a[href]").first.get_attribute("href") for i in range(4)]
    page.keyboard.press("j")
    page.keyboard.press("o")
    page.wait_for_url(re.compile(re.escape(listed[0]) + "$"))
    nav = page.get_by_role("navigation", name="Tickets in your list")
    expect(nav.get_by_role("link", name="Previous in the list")).to_have_count(0)  # the first has none
    page.keyboard.press("j")
    page.wait_for_url(re.compile(re.escape(listed[1]) + "$"))
    page.keyboard.press("j")
    page.wait_for_url(re.compile(re.escape(listed[2]) + "$"))
    page.keyboard.press("k")
    page.wait_for_url(re.compile(re.escape(listed[1]) + "$"))
    # `?` lists them with the page's other keys; u goes back to the same view of the queue.
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_contain_text("Next in the list")
    expect(dialog).to_contain_text("Previous in the list")
    page.keyboard.press("Escape")
    page.keyboard.press("u")
    page.wait_for_url(re.compile(r"/tickets/(\?.*)?$"))
    expect(rows).to_have_count(4)
