"""One RFC 5322 message, parsed into what the desk needs and nothing else."""

import hashlib
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

from django.conf import settings

from notifications.inbound.text import cut_reply, html_to_text


class Unreadable(Exception):
    """The message cannot be handled (too large, no sender, undecodable); it needs a person."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes
    inline: bool


@dataclass(frozen=True)
class InboundMessage:
    message_id: str
    sender: str  # lower-cased address
    sender_name: str
    subject: str
    text: str  # the new part: quotes and signature cut, HTML turned into text
    full_text: str  # the whole body as text, for a new ticket's description
    in_reply_to: str
    references: str
    headers: dict[str, str]  # lower-cased names; the ones classification reads
    content_type: str
    attachments: list[Attachment] = field(default_factory=list)
    size: int = 0
    raw: bytes = field(default=b"", repr=False)  # as received: kept if it comes to need a look


_KEPT_HEADERS = (
    "auto-submitted",
    "x-autoreply",
    "x-autorespond",
    "x-auto-response-suppress",
    "precedence",
    "list-id",
    "list-unsubscribe",
    "return-path",
    "x-failed-recipients",
)


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - a malformed header reads as absent
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _payload(part: EmailMessage) -> bytes:
    """The part's body with its transfer encoding undone (empty for a multipart part)."""
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _part_text(part: EmailMessage) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        return _payload(part).decode("utf-8", errors="replace")


def parse(raw: bytes) -> InboundMessage:
    """Parse `raw`; raises `Unreadable` for what must go to a person instead."""
    if len(raw) > settings.INBOUND_EMAIL_MAX_BYTES:
        raise Unreadable("too large")
    try:
        message = message_from_bytes(raw, policy=policy.default)
    except Exception as exc:  # noqa: BLE001 - anything the parser chokes on needs a person
        raise Unreadable(f"cannot be parsed: {exc}") from exc
    assert isinstance(message, EmailMessage)
    name, sender = parseaddr(_header(message, "From"))
    if not sender or "@" not in sender:
        raise Unreadable("no sender address")
    # No Message-ID (some scanners strip it): the message's own bytes name it, so a
    # second delivery of the same bytes is still recognised.
    message_id = _header(message, "Message-ID") or f"<sha256-{hashlib.sha256(raw).hexdigest()}@inbound>"

    plain, html = "", ""
    attachments: list[Attachment] = []
    try:
        for part in message.walk():
            if part.is_multipart():
                continue
            content_type = part.get_content_type()
            disposition = part.get_content_disposition()
            filename = part.get_filename()
            if (
                disposition == "attachment"
                or filename
                or (disposition == "inline" and part.get_content_maintype() in ("image", "application"))
            ):
                data = _payload(part)
                attachments.append(
                    Attachment(
                        filename=filename or f"attachment.{part.get_content_subtype()}",
                        content_type=content_type,
                        data=data,
                        inline=disposition == "inline" or bool(part.get("Content-ID")),
                    )
                )
            elif content_type == "text/plain" and not plain:
                plain = _part_text(part)
            elif content_type == "text/html" and not html:
                html = _part_text(part)
    except Exception as exc:  # noqa: BLE001 - broken MIME structure
        raise Unreadable(f"cannot be decoded: {exc}") from exc

    body = plain if plain.strip() else html_to_text(html)
    body = body.replace("\x00", "")
    return InboundMessage(
        message_id=message_id[:250],
        sender=sender.lower(),
        sender_name=name,
        subject=_header(message, "Subject")[:250],
        text=cut_reply(body),
        full_text=body.strip(),
        in_reply_to=_header(message, "In-Reply-To"),
        references=_header(message, "References"),
        headers={name: _header(message, name) for name in _KEPT_HEADERS if message.get(name) is not None},
        content_type=message.get_content_type(),
        attachments=attachments,
        size=len(raw),
        raw=raw,
    )


def recipients(raw_header: str) -> list[str]:
    return [address.lower() for _name, address in getaddresses([raw_header]) if address]
