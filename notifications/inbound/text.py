"""Text out of an email: HTML to plain text, and the new part of a reply.

HTML is never kept: the parser below keeps only text and line breaks, so nothing a
sender writes can become markup on a ticket page (comments are escaped there as well).
"""

import re
from html.parser import HTMLParser

from mailparser_reply import EmailReplyParser

_BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "hr", "pre"}
_SKIP = {"script", "style", "head", "title"}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.quote_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
        if tag == "blockquote":
            self.quote_depth += 1
        if tag == "li":
            self.parts.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")
        if tag == "blockquote":
            self.quote_depth = max(0, self.quote_depth - 1)

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        data = re.sub(r"[ \t\r\n\f\u00a0]+", " ", data)
        if self.quote_depth:  # quoted history, as a text client would show it
            data = data.replace("\n", "\n> ")
            if not self.parts or self.parts[-1].endswith("\n"):
                data = "> " + data.lstrip()
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of an HTML body: tags, scripts and styles gone, paragraphs kept."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# What mail-parser-reply misses: its Spanish header rule wants two spaces before
# "escribió", and it keeps "Sent from my iPhone".
_HEADER_LINES = re.compile(
    r"^\s*(?:"
    r"(?:On|El|Le|Am|Em|Op)\s.{4,300}?(?:wrote|escribió|a écrit|schrieb|escreveu|schreef)\s*:"
    r"|-{2,}\s*(?:Original Message|Mensaje original|Forwarded message|Mensaje reenviado)\s*-{2,}"
    r"|_{10,}"
    r"|(?:From|De):\s.+\n(?:.*\n){0,3}?\s*(?:Sent|Enviado(?: el)?|Date|Fecha):\s"
    r")",
    re.IGNORECASE | re.MULTILINE,
)
_DEVICE_SIGNATURE = re.compile(
    r"^\s*(?:Sent from my \w+.*|Sent from (?:Mail|Outlook) for .*|Get Outlook for .*|Enviado desde mi .*)$",
    re.IGNORECASE | re.MULTILINE,
)
_SIGNATURE_DASHES = re.compile(r"^-- ?$", re.MULTILINE)


def cut_reply(text: str) -> str:
    """The new part of a reply: no quoted history, no "Sent from my iPhone", no `-- ` signature."""
    text = text.replace("\r\n", "\n")
    latest = EmailReplyParser(languages=["en", "es"]).parse_reply(text) or text
    match = _HEADER_LINES.search(latest)
    if match:
        latest = latest[: match.start()]
    latest = _DEVICE_SIGNATURE.sub("", latest)
    dashes = _SIGNATURE_DASHES.search(latest)
    if dashes:
        latest = latest[: dashes.start()]
    kept = [line for line in latest.splitlines() if not line.lstrip().startswith(">")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
