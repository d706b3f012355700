"""Mail no person wrote to us: answering it files junk tickets or starts loops with robots."""

from notifications import threading
from notifications.inbound.message import InboundMessage

_BOUNCE_SENDERS = ("mailer-daemon@", "postmaster@")
_REPORT_TYPES = ("multipart/report", "message/delivery-status", "message/disposition-notification")


def automatic_reason(message: InboundMessage) -> str | None:
    """Why the message is to be ignored, or None when a person wrote it."""
    headers = message.headers
    if message.sender == threading.desk_address():
        return "our own mail"
    auto = headers.get("auto-submitted", "").lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    if "x-autoreply" in headers or "x-autorespond" in headers:
        return "auto-reply header"
    if headers.get("precedence", "").lower() in ("bulk", "junk", "list"):
        return f"Precedence: {headers['precedence'].lower()}"
    if "list-id" in headers or "list-unsubscribe" in headers:
        return "mailing list"
    if message.content_type in _REPORT_TYPES or "x-failed-recipients" in headers:
        return "delivery report"
    if message.sender.startswith(_BOUNCE_SENDERS) or headers.get("return-path", "").strip() == "<>":
        return "bounce"
    return None
