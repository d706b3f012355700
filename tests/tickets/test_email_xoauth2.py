"""XOAUTH2 sign-in (Google Workspace, Microsoft 365) against a real IMAP server: Dovecot's
oauth2 passdb checks the bearer token with a small local OAuth 2 server (token endpoint and
RFC 7662 introspection), so the whole path runs: refresh token -> access token ->
AUTHENTICATE XOAUTH2 -> Dovecot asks the introspection endpoint -> mailbox read."""

import json
import ssl
import threading
import urllib.parse
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from imap_tools import MailBox

from notifications.inbound.mailbox import MailboxError
from tests import dovecot
from tickets.models import Ticket
from tickets.tasks import ingest_mailbox

pytestmark = pytest.mark.django_db

GOOD_TOKEN = "ya29.a-good-access-token"


class OAuthServer(BaseHTTPRequestHandler):
    """/token: the refresh-token grant (as Google's or Microsoft's token endpoint);
    /introspect: what Dovecot asks about a bearer token."""

    seen: list[tuple[str, dict[str, list[str]]]] = []
    access_token = GOOD_TOKEN

    def do_POST(self):
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode())
        type(self).seen.append((self.path, form))
        if self.path == "/token":
            good = form.get("grant_type") == ["refresh_token"] and form.get("refresh_token") == ["the-refresh-token"]
            body = {"access_token": type(self).access_token, "expires_in": 3599} if good else {"error": "invalid_grant"}
        else:
            body = {"active": form.get("token") == [GOOD_TOKEN], "username": dovecot.USER}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def oauth():
    server = ThreadingHTTPServer(("127.0.0.1", 0), OAuthServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def server(oauth):
    yield from dovecot.start(oauth2_introspection_url=f"{oauth}/introspect")


@pytest.fixture
def mailbox_settings(server, oauth, settings):
    settings.INBOUND_EMAIL_URL = f"imaps+xoauth2://{dovecot.USER}@127.0.0.1:{server.port}/INBOX"
    settings.INBOUND_EMAIL_CA_FILE = server.ca_file
    settings.INBOUND_EMAIL_DOMAINS = ["district.example"]
    settings.INBOUND_EMAIL_OAUTH_TOKEN_URL = f"{oauth}/token"
    settings.INBOUND_EMAIL_OAUTH_CLIENT_ID = "client-id"
    settings.INBOUND_EMAIL_OAUTH_CLIENT_SECRET = "client-secret"
    settings.INBOUND_EMAIL_OAUTH_REFRESH_TOKEN = "the-refresh-token"
    settings.INBOUND_EMAIL_OAUTH_SCOPE = "https://mail.google.com/"
    OAuthServer.seen.clear()
    OAuthServer.access_token = GOOD_TOKEN
    box = MailBox("127.0.0.1", server.port, ssl_context=ssl.create_default_context(cafile=server.ca_file))
    box.login(dovecot.USER, dovecot.PASSWORD)  # the test's own way in, to deliver and look
    box.delete(box.uids())
    yield box
    box.logout()


def deliver(box: MailBox, sender: str, subject: str) -> None:
    message = EmailMessage()
    message["From"] = sender
    message["Subject"] = subject
    message["Message-ID"] = f"<{subject.replace(' ', '-')}@mail.example>"
    message.set_content("Sent to the Google or Microsoft mailbox")
    box.append(message.as_bytes(), "INBOX")


def test_the_task_signs_in_with_xoauth2_and_reads_the_mailbox(mailbox_settings, teacher, category):
    deliver(mailbox_settings, teacher.email, "Chromebook cart")
    assert ingest_mailbox() == 1
    assert Ticket.objects.get(title="Chromebook cart").requester == teacher
    token_calls = [form for path, form in OAuthServer.seen if path == "/token"]
    assert token_calls == [
        {
            "grant_type": ["refresh_token"],
            "client_id": ["client-id"],
            "client_secret": ["client-secret"],
            "refresh_token": ["the-refresh-token"],
            "scope": ["https://mail.google.com/"],
        }
    ]
    # Dovecot itself asked whether the bearer token we sent is good.
    assert ("/introspect", {"token": [GOOD_TOKEN]}) in OAuthServer.seen


def test_a_token_the_provider_does_not_accept_is_refused_by_the_server(mailbox_settings, teacher, category):
    OAuthServer.access_token = "ya29.revoked"
    deliver(mailbox_settings, teacher.email, "Smartboard")
    with pytest.raises(MailboxError, match="refused the sign-in"):
        ingest_mailbox()
    assert not Ticket.objects.filter(title="Smartboard").exists()
    assert ("/introspect", {"token": ["ya29.revoked"]}) in OAuthServer.seen
