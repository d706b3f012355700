"""Students and families: a device report files a ticket only once its email confirms it."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client

from devices.models import Asset
from notifications.models import OutboundEmail
from tests import factories
from tickets import family, services
from tickets.models import FamilyReport, Ticket

REPORT = {"device": "okc-7", "description": "The screen stays black.", "email": "parent@example.com"}


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def device(db, school):
    factories.CategoryFactory(slug="device", name="Computer or device")
    factories.CategoryFactory(
        slug="home-internet", name="Home internet", in_scope=False, guidance="Call your provider."
    )
    return factories.AssetFactory(tag="OKC-7", serial="5CG777", school=school)


def _send(client: Client, **changes) -> object:
    return client.post("/help/device/", {**REPORT, **changes})


def _link(django_capture_on_commit_callbacks, client: Client, **changes) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        assert _send(client, **changes).status_code == 302
    return re.search(r"https?://\S+/help/device/(\S+?)/", mail.outbox[-1].body).group(1)


def test_the_report_files_nothing_until_the_email_confirms(client, device, django_capture_on_commit_callbacks):
    token = _link(django_capture_on_commit_callbacks, client)
    report = FamilyReport.objects.get()
    assert (report.asset, report.email, report.ticket, report.confirmed_at) == (
        device,
        "parent@example.com",
        None,
        None,
    )
    assert report.token_hash == family.hash_token(token) and token not in report.token_hash
    assert mail.outbox[-1].to == ["parent@example.com"] and "OKC-7" in mail.outbox[-1].subject
    assert OutboundEmail.objects.filter(kind="family_report_confirm", to="parent@example.com").exists()
    # Opening the link (a person, or a mail scanner) files nothing: only the POST confirms.
    page = client.get(f"/help/device/{token}/")
    assert page.status_code == 200 and "Send my report" in page.content.decode()
    assert Ticket.objects.count() == 0


def test_confirming_files_one_ticket_in_the_devices_school_queue(client, device, school):
    report = family.report_device_problem(identifier="5cg777", description="Keys stick.", email="kid@example.com")
    ticket = family.confirm_report(report=report)
    assert (ticket.school, ticket.queue, ticket.asset) == (school, school.queue, device)
    assert "kid@example.com" in ticket.description and "Keys stick." in ticket.description
    reporter = ticket.requester
    assert not reporter.is_active and not reporter.has_usable_password() and reporter.email == ""
    # The same school's next report has the same reporter account; no student record anywhere.
    again = family.report_device_problem(identifier="OKC-7", description="Again.", email="kid@example.com")
    assert family.confirm_report(report=again).requester == reporter


def test_confirming_twice_files_once(client, device, django_capture_on_commit_callbacks):
    token = _link(django_capture_on_commit_callbacks, client)
    assert client.post(f"/help/device/{token}/").status_code == 302
    assert client.post(f"/help/device/{token}/").status_code == 302
    report = FamilyReport.objects.get()
    assert Ticket.objects.count() == 1 and report.ticket == Ticket.objects.get()
    assert family.confirm_report(report=report) == report.ticket


def test_an_unknown_tag_is_refused_kindly_and_nothing_is_recorded(client, device):
    page = _send(client, device="NOPE-1")
    assert page.status_code == 400
    assert "We could not find a school device with that tag or serial number" in page.content.decode()
    personal = factories.AssetFactory(tag="MINE-1", owner=Asset.Owner.PERSONAL, school=device.school)
    assert _send(client, device=personal.tag).status_code == 400
    assert FamilyReport.objects.count() == 0 and len(mail.outbox) == 0


def test_reports_are_rate_limited_per_address_and_per_client(client, device, settings):
    settings.HELPDESK_FAMILY_REPORTS_PER_ADDRESS_PER_HOUR = 2
    settings.HELPDESK_FAMILY_REPORTS_PER_IP_PER_HOUR = 4
    assert [_send(client).status_code for _ in range(3)] == [302, 302, 429]
    assert _send(client, email="other@example.com").status_code == 302
    assert _send(client, email="third@example.com").status_code == 429  # fifth from this client
    other_client = Client(REMOTE_ADDR="10.0.0.9")
    assert _send(other_client, email="fourth@example.com").status_code == 302
    assert FamilyReport.objects.count() == 4


def test_wrong_links_are_404_then_throttled(client, device, settings):
    settings.HELPDESK_FAMILY_LINK_MISSES_LIMIT = 2
    assert [client.get(f"/help/device/guess{n}/").status_code for n in range(3)] == [404, 404, 429]


def test_the_follow_page_shows_the_status_and_public_replies_only(
    client, device, technician, django_capture_on_commit_callbacks
):
    token = _link(django_capture_on_commit_callbacks, client)
    client.post(f"/help/device/{token}/")
    ticket = FamilyReport.objects.get().ticket
    services.add_comment(actor=technician, ticket=ticket, body="Bring it to the office on Monday.")
    services.add_comment(actor=technician, ticket=ticket, body="Probably the hinge cable.", internal=True)
    html = Client().get(f"/help/device/{token}/").content.decode()
    assert "Bring it to the office on Monday." in html
    assert "hinge cable" not in html
    assert "Received" in html or "A technician has it" in html
    assert "Send my report" not in html


def test_the_support_page_says_what_is_supported_off_campus(client, device):
    html = client.get("/support/").content.decode()
    assert "District devices are supported wherever they are" in html
    assert "Not supported: Home internet." in html and "Call your provider." in html
    assert "/help/device/" in html


def test_a_public_staff_reply_emails_the_family_their_follow_link(
    client, device, technician, django_capture_on_commit_callbacks
):
    token = _link(django_capture_on_commit_callbacks, client)
    client.post(f"/help/device/{token}/")
    ticket = FamilyReport.objects.get().ticket
    users_before = set(get_user_model().objects.values_list("pk", flat=True))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(actor=technician, ticket=ticket, body="Probably the hinge cable.", internal=True)
    assert mail.outbox == []  # an internal note is not a reply
    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(actor=technician, ticket=ticket, body="Bring it to the office on Monday.")
    assert [m.to for m in mail.outbox] == [["parent@example.com"]]
    message = mail.outbox[0]
    assert "OKC-7" in message.subject and "Bring it to the office on Monday." in message.body
    assert f"/help/device/{token}/" in message.body
    # Never an account: no sign-in link, no ticket page, nobody made for the address.
    assert "/tickets/" not in message.body and "/accounts/" not in message.body
    assert set(get_user_model().objects.values_list("pk", flat=True)) == users_before
    assert OutboundEmail.objects.filter(kind="family_reply", to="parent@example.com").count() == 1
    # The emailed link is the one that opens the report.
    assert "Bring it to the office on Monday." in Client().get(f"/help/device/{token}/").content.decode()


def test_the_reply_email_is_in_the_language_the_report_was_sent_in(
    client, device, technician, django_capture_on_commit_callbacks
):
    spanish = Client(HTTP_ACCEPT_LANGUAGE="es")
    token = _link(django_capture_on_commit_callbacks, spanish)
    assert "Confirme" in mail.outbox[-1].subject or "confirme" in mail.outbox[-1].subject
    spanish.post(f"/help/device/{token}/")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(actor=technician, ticket=FamilyReport.objects.get().ticket, body="Listo.")
    assert "respondió" in mail.outbox[0].subject and f"/help/device/{token}/" in mail.outbox[0].body


def test_the_family_pages_are_in_spanish(client, device, django_capture_on_commit_callbacks):
    spanish = Client(HTTP_ACCEPT_LANGUAGE="es")
    form = spanish.get("/help/device/").content.decode()
    for words in ("Etiqueta o número de serie del dispositivo", "¿Qué le pasa?", "Su correo electrónico"):
        assert words in form
    assert "Device tag or serial number" not in form and "What is wrong?" not in form
    refused = spanish.post("/help/device/", {**REPORT, "device": "NOPE-1"}).content.decode()
    assert "No encontramos un dispositivo escolar" in refused
    assert "Le enviamos un enlace" in spanish.get("/help/device/sent/").content.decode()
    token = _link(django_capture_on_commit_callbacks, spanish)
    page = spanish.get(f"/help/device/{token}/").content.decode()
    assert "Enviar mi informe" in page and "Send my report" not in page
    assert "Hola" in mail.outbox[-1].body and "Someone used" not in mail.outbox[-1].body
