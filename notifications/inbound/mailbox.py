"""The desk's mailbox over IMAP (imap-tools): read what is new, mark it only once it counted.

`INBOUND_EMAIL_URL` names it: `imaps://user:password@host:993/INBOX` (TLS from the
first byte, certificate checked), `imap+starttls://...` (port 143, STARTTLS), or
`imaps+xoauth2://user@host:993/INBOX` for Google Workspace and Microsoft 365, where the
access token comes from the `INBOUND_EMAIL_OAUTH_*` settings (a refresh-token grant).
A handled message gets the `HelpdeskHandled` keyword (it stays unread for people
looking at the mailbox); one that cannot be handled moves to the "needs a look" folder.
"""

import imaplib
import json
import logging
import ssl
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from imap_tools import AND, BaseMailBox, MailBox, MailBoxStartTls
from imap_tools.errors import MailboxLoginError

logger = logging.getLogger(__name__)

HANDLED = "HelpdeskHandled"
NEEDS_LOOK = "needs_look"  # InboundEmail.Outcome.NEEDS_LOOK: moved to the folder


class MailboxError(Exception):
    pass


@dataclass(frozen=True)
class MailboxAddress:
    host: str
    port: int
    user: str
    password: str
    folder: str
    starttls: bool
    xoauth2: bool


def parse_url(url: str) -> MailboxAddress:
    parts = urllib.parse.urlsplit(url)
    schemes = {"imaps": (993, False, False), "imap+starttls": (143, True, False), "imaps+xoauth2": (993, False, True)}
    if parts.scheme not in schemes or not parts.hostname or not parts.username:
        raise MailboxError("INBOUND_EMAIL_URL must look like imaps://user:password@host:993/INBOX")
    port, starttls, xoauth2 = schemes[parts.scheme]
    return MailboxAddress(
        host=parts.hostname,
        port=parts.port or port,
        user=urllib.parse.unquote(parts.username),
        password=urllib.parse.unquote(parts.password or ""),
        folder=urllib.parse.unquote(parts.path.lstrip("/")) or "INBOX",
        starttls=starttls,
        xoauth2=xoauth2,
    )


def access_token() -> str:
    """A fresh OAuth 2 access token from the refresh token (Google and Microsoft alike)."""
    form = {
        "grant_type": "refresh_token",
        "client_id": settings.INBOUND_EMAIL_OAUTH_CLIENT_ID,
        "client_secret": settings.INBOUND_EMAIL_OAUTH_CLIENT_SECRET,
        "refresh_token": settings.INBOUND_EMAIL_OAUTH_REFRESH_TOKEN,
    }
    if settings.INBOUND_EMAIL_OAUTH_SCOPE:
        form["scope"] = settings.INBOUND_EMAIL_OAUTH_SCOPE
    request = urllib.request.Request(
        settings.INBOUND_EMAIL_OAUTH_TOKEN_URL, data=urllib.parse.urlencode(form).encode(), method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - a configured https URL
            token = json.load(response).get("access_token")
    except (OSError, ValueError) as exc:
        raise MailboxError(f"could not get an access token: {exc}") from exc
    if not token:
        raise MailboxError("the token endpoint gave no access_token")
    return token


def _tls() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=settings.INBOUND_EMAIL_CA_FILE or None)


def connect(url: str) -> BaseMailBox:
    address = parse_url(url)
    if address.starttls:
        box: BaseMailBox = MailBoxStartTls(address.host, address.port, timeout=30, ssl_context=_tls())
    else:
        box = MailBox(address.host, address.port, timeout=30, ssl_context=_tls())
    try:
        if address.xoauth2:
            return box.xoauth2(address.user, access_token(), initial_folder=address.folder)
        return box.login(address.user, address.password, initial_folder=address.folder)
    except (imaplib.IMAP4.error, MailboxLoginError) as exc:
        box.client.shutdown()
        raise MailboxError(f"the mailbox refused the sign-in of {address.user}: {exc}") from exc


def _raw(box: BaseMailBox, uid: str) -> bytes | None:
    """The message's bytes exactly as stored (BODY.PEEK: reading does not mark it seen)."""
    status, data = box.client.uid("FETCH", uid, "(BODY.PEEK[])")
    for item in data if status == "OK" else []:
        if isinstance(item, tuple):
            return item[1]
    return None


def process(
    handle: Callable[[bytes], str],
    *,
    on_error: Callable[[bytes, Exception], str] | None = None,
    url: str | None = None,
    limit: int = 100,
) -> list[str]:
    """Hand each new message's bytes to `handle` (which commits what it makes and returns an
    outcome), then mark it: moved to the "needs a look" folder, or the HANDLED keyword.

    A message is marked only after `handle` returned, so a crash before that leaves it
    for the next run, where the ledger recognises it. A handler error leaves it too,
    unless `on_error` (which counts the tries) answers NEEDS_LOOK: then it is moved, so a
    message that always fails is not read forever.
    """
    outcomes: list[str] = []
    with connect(url or settings.INBOUND_EMAIL_URL) as box:
        inbox = box.folder.get()
        uids = box.uids(AND(no_keyword=HANDLED))[:limit]
        for uid in uids:
            raw = _raw(box, uid)
            if raw is None:
                continue
            try:
                outcome = handle(raw)
            except Exception as exc:  # noqa: BLE001 - counted, and left for the next run until the last try
                logger.exception("Inbound message uid %s not handled", uid)
                outcome = _failed(on_error, raw, exc)
                if outcome != NEEDS_LOOK:
                    continue
            if outcome == NEEDS_LOOK:
                _move_to_needs_look(box, uid, inbox)
            else:
                box.flag(uid, HANDLED, True)
            outcomes.append(outcome)
    return outcomes


def _failed(on_error: Callable[[bytes, Exception], str] | None, raw: bytes, error: Exception) -> str:
    if on_error is None:
        return "failing"
    try:
        return on_error(raw, error)
    except Exception:  # noqa: BLE001 - the database may be what failed: the next run tries again
        logger.exception("Could not count the failed try")
        return "failing"


def _move_to_needs_look(box: BaseMailBox, uid: str, inbox: str | None) -> None:
    """Move the message to the "needs a look" folder, then select `inbox` (the folder read) again."""
    folder = settings.INBOUND_EMAIL_NEEDS_LOOK_FOLDER
    if not box.folder.exists(folder):
        box.folder.create(folder)
    box.move(uid, folder)
    if inbox is not None:  # None only if no folder was selected; the sign-in selects one
        box.folder.set(inbox)
