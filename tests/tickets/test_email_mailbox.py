"""The mailbox task against a real IMAP server: Dovecot over TLS (tests/dovecot.py)."""

import json
import ssl
import threading as py_threading
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from imap_tools import AND, MailBox

from notifications import threading
from notifications.inbound import mailbox
from notifications.models import InboundEmail
from tests import dovecot
from tickets import email_in
from tickets.models import Comment, Ticket
from tickets.tasks import ingest_mailbox

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def server():
    yield from dovecot.start()


@pytest.fixture
def imap(server, settings):
    """The mailbox, emptied, with the settings pointing at it."""
    settings.INBOUND_EMAIL_URL = server.url
    settings.INBOUND_EMAIL_CA_FILE = server.ca_file
    settings.INBOUND_EMAIL_DOMAINS = ["district.example"]
    box = MailBox("127.0.0.1", server.port, ssl_context=ssl.create_default_context(cafile=server.ca_file))
    box.login(dovecot.USER, dovecot.PASSWORD)
    for folder in box.folder.list():
        box.folder.set(folder.name)
        box.delete(box.uids())
    box.folder.set("INBOX")
    yield box
    box.logout()


def deliver(box: MailBox, sender: str, body: str, *, subject: str = "Printer", **headers: str) -> None:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "helpdesk@district.example"
    message["Subject"] = subject
    message["Message-ID"] = headers.pop("Message_ID", f"<{abs(hash((sender, body, subject)))}@mail.example>")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    box.append(message.as_bytes(), "INBOX")


def handled(box: MailBox) -> list[str]:
    box.folder.set("INBOX")
    return [m.subject for m in box.fetch(AND(keyword=mailbox.HANDLED), mark_seen=False)]


def test_the_task_turns_the_mailbox_into_tickets_and_comments_and_marks_each(imap, ticket, teacher, category, settings):
    root = threading.ticket_root(ticket.pk)
    deliver(
        imap,
        teacher.email,
        "Still jammed.\n\nOn Mon, Help Desk wrote:\n> on it",
        subject=f"Re: [#{ticket.pk}] x",
        In_Reply_To=root,
    )
    deliver(imap, teacher.email, "Room 9 has no Wi-Fi", subject="Wi-Fi")
    deliver(imap, teacher.email, "I am away", subject="Out of office", Auto_Submitted="auto-replied")
    deliver(imap, "someone@elsewhere.example", "Buy now", subject="Offer")
    settings.INBOUND_EMAIL_MAX_BYTES = 2000
    deliver(imap, teacher.email, "x" * 3000, subject="Huge")

    assert ingest_mailbox() == 5

    assert Comment.objects.get(ticket=ticket).body == "Still jammed."
    assert Ticket.objects.get(title="Wi-Fi").requester == teacher
    assert sorted(handled(imap)) == sorted([f"Re: [#{ticket.pk}] x", "Wi-Fi", "Out of office", "Offer"])
    imap.folder.set(settings.INBOUND_EMAIL_NEEDS_LOOK_FOLDER)
    assert [m.subject for m in imap.fetch(mark_seen=False)] == ["Huge"]
    assert InboundEmail.objects.get(outcome="needs_look").subject == "Huge"
    # Handled is a keyword of ours: people reading the mailbox still see the mail as unread.
    imap.folder.set("INBOX")
    assert all("\\Seen" not in m.flags for m in imap.fetch(mark_seen=False))

    # A second run finds nothing new and makes nothing twice.
    assert ingest_mailbox() == 0
    assert Ticket.objects.count() == 2 and Comment.objects.count() == 1


def test_a_crash_between_commit_and_flag_never_duplicates(imap, teacher, category, monkeypatch):
    deliver(imap, teacher.email, "Projector dark", subject="Projector")
    real_flag = MailBox.flag

    def crash(self, *args, **kwargs):
        raise ConnectionResetError("connection lost after the commit")

    monkeypatch.setattr(MailBox, "flag", crash)
    with pytest.raises(ConnectionResetError):
        ingest_mailbox()
    assert Ticket.objects.filter(title="Projector").count() == 1
    assert handled(imap) == []

    monkeypatch.setattr(MailBox, "flag", real_flag)
    assert email_in.ingest_mailbox() == 1  # seen in the ledger: only marked this time
    assert Ticket.objects.filter(title="Projector").count() == 1
    assert handled(imap) == ["Projector"]


def test_a_handler_error_leaves_the_message_for_the_next_run(imap, teacher, category, monkeypatch):
    deliver(imap, teacher.email, "Help", subject="Keyboard")
    monkeypatch.setattr(email_in, "_handle", lambda message: 1 / 0)
    assert ingest_mailbox() == 0
    monkeypatch.undo()
    assert handled(imap) == []
    assert ingest_mailbox() == 1 and Ticket.objects.filter(title="Keyboard").exists()


def test_a_wrong_certificate_is_refused(imap, teacher, settings):
    settings.INBOUND_EMAIL_CA_FILE = ""  # the system's CAs do not know the test certificate
    deliver(imap, teacher.email, "Help", subject="Mouse")
    with pytest.raises(ssl.SSLError):
        ingest_mailbox()
    assert not Ticket.objects.filter(title="Mouse").exists()


def test_mailbox_urls():
    plain = mailbox.parse_url("imaps://desk%40district.example:p%40ss@imap.gmail.com/Help%20Desk")
    assert (plain.host, plain.port, plain.user, plain.password, plain.folder) == (
        "imap.gmail.com", 993, "desk@district.example", "p@ss", "Help Desk",
    )  # fmt: skip
    oauth = mailbox.parse_url("imaps+xoauth2://desk@district.example@outlook.office365.com:993/INBOX")
    assert oauth.xoauth2 and oauth.user == "desk@district.example"
    with pytest.raises(mailbox.MailboxError):
        mailbox.parse_url("imap://user:pw@host/INBOX")  # no TLS: refused


def test_xoauth2_access_token_comes_from_the_refresh_token(settings):
    seen = {}

    class Token(BaseHTTPRequestHandler):
        def do_POST(self):
            seen["form"] = self.rfile.read(int(self.headers["Content-Length"])).decode()
            body = json.dumps({"access_token": "ya29.token", "expires_in": 3599}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Token)
    py_threading.Thread(target=server.handle_request, daemon=True).start()
    settings.INBOUND_EMAIL_OAUTH_TOKEN_URL = f"http://127.0.0.1:{server.server_port}/token"
    settings.INBOUND_EMAIL_OAUTH_CLIENT_ID = "client"
    settings.INBOUND_EMAIL_OAUTH_CLIENT_SECRET = "secret"
    settings.INBOUND_EMAIL_OAUTH_REFRESH_TOKEN = "refresh"
    assert mailbox.access_token() == "ya29.token"
    assert "grant_type=refresh_token" in seen["form"] and "refresh_token=refresh" in seen["form"]
    server.server_close()


def in_folder(box: MailBox, folder: str) -> list[str]:
    box.folder.set(folder)
    subjects = [m.subject for m in box.fetch(mark_seen=False)]
    box.folder.set("INBOX")
    return subjects


def test_a_poison_message_is_tried_a_few_times_then_moved_and_listed_for_staff(
    imap, teacher, technician, category, monkeypatch, settings, client
):
    settings.INBOUND_EMAIL_MAX_ATTEMPTS = 2
    deliver(imap, teacher.email, "Crashes the handler", subject="Poison")
    deliver(imap, teacher.email, "Room 9 has no Wi-Fi", subject="Wi-Fi")
    real_handle = email_in._handle

    def poisoned(message):
        if message.subject == "Poison":
            raise ValueError("something in it breaks the handling")
        return real_handle(message)

    monkeypatch.setattr(email_in, "_handle", poisoned)
    assert ingest_mailbox() == 1  # the good one; the poison stays in INBOX for one more try
    assert handled(imap) == ["Wi-Fi"] and sorted(in_folder(imap, "INBOX")) == ["Poison", "Wi-Fi"]
    assert ingest_mailbox() == 1  # the last try: moved
    assert in_folder(imap, "INBOX") == ["Wi-Fi"]
    assert in_folder(imap, settings.INBOUND_EMAIL_NEEDS_LOOK_FOLDER) == ["Poison"]
    assert ingest_mailbox() == 0  # never read again

    client.force_login(technician)
    page = client.get("/email/needs-a-look/").content.decode()
    assert "Poison" in page and "handling failed 2 times" in page and "something in it breaks" in page
    monkeypatch.undo()  # the cause is fixed
    row = InboundEmail.objects.get(outcome="needs_look")
    client.post(f"/email/needs-a-look/{row.pk}/retry/")
    assert Ticket.objects.get(title="Poison").requester == teacher
