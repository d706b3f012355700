"""Parsing edge cases of inbound mail: quoted replies in each client's style, Spanish,
HTML-only mail, inline images, winmail.dat, and what automatic mail looks like."""

from email.message import EmailMessage

import pytest

from notifications.inbound import classify
from notifications.inbound.message import Unreadable, parse
from notifications.inbound.text import cut_reply, html_to_text


def raw(body: str = "Hello", *, html: str | None = None, **headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = headers.pop("From", "Maria Lopez <maria@district.example>")
    message["To"] = "helpdesk@district.example"
    message["Subject"] = headers.pop("Subject", "Printer jam")
    message["Message-ID"] = headers.pop("Message_ID", "<abc@mail.district.example>")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    if html is None:
        message.set_content(body)
    else:
        message.set_content(html, subtype="html")
    return message.as_bytes()


def test_gmail_style_quote_is_cut():
    text = "Thanks, it works.\n\nOn Mon, Jan 5, 2026 at 9:00 AM IT Help Desk <helpdesk@district.example> wrote:\n> We fixed it\n"
    assert cut_reply(text) == "Thanks, it works."


def test_gmail_header_wrapped_over_two_lines_is_cut():
    text = "Thanks.\n\nOn Mon, Jan 5, 2026 at 9:00 AM IT Help Desk <helpdesk@district.example>\nwrote:\n> We fixed it\n"
    assert cut_reply(text) == "Thanks."


def test_outlook_style_quote_is_cut():
    text = (
        "Still broken after restart.\n\n________________________________\n"
        "From: IT Help Desk <helpdesk@district.example>\nSent: Monday, January 5, 2026 9:00 AM\n"
        "To: Maria Lopez\nSubject: Fixed? [#5] Printer\n\nWe fixed it\n"
    )
    assert cut_reply(text) == "Still broken after restart."


def test_outlook_original_message_separator_is_cut():
    text = "Still broken.\n\n-----Original Message-----\nFrom: IT Help Desk\nSent: Monday\n\nWe fixed it\n"
    assert cut_reply(text) == "Still broken."


def test_apple_mail_style_quote_and_device_signature_are_cut():
    text = (
        "It works now, thank you!\n\nSent from my iPhone\n\n"
        "> On 5 Jan 2026, at 09:00, IT Help Desk <helpdesk@district.example> wrote:\n>\n> We fixed it\n"
    )
    assert cut_reply(text) == "It works now, thank you!"


def test_spanish_el_escribio_quote_is_cut():
    text = (
        "Gracias, ya funciona.\n\nEnviado desde mi iPhone\n\n"
        "El lun, 5 ene 2026 a las 9:00, IT Help Desk (<helpdesk@district.example>) escribió:\n> Lo arreglamos\n"
    )
    assert cut_reply(text) == "Gracias, ya funciona."


def test_dash_dash_signature_is_cut():
    assert cut_reply("Room 12 projector.\n\n-- \nMaria Lopez\nGrade 3\n") == "Room 12 projector."


def test_html_only_mail_becomes_safe_text():
    message = parse(
        raw(
            html="<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>"
            "<p>The <b>projector</b> &amp; screen</p><div>are dark<br>since Monday</div>"
            '<img src="x" onerror="alert(1)"></body></html>'
        )
    )
    assert message.text == "The projector & screen\n\nare dark\nsince Monday"
    assert "<" not in message.full_text and "alert" not in message.full_text


def test_html_quote_in_blockquote_is_cut():
    html = "<div>New text</div><div>On Mon, Maria wrote:</div><blockquote><p>old text</p></blockquote>"
    assert "old text" not in cut_reply(html_to_text(html))


def test_inline_image_and_winmail_dat_are_attachments_with_their_types():
    message = EmailMessage()
    message["From"] = "maria@district.example"
    message["Subject"] = "Screen"
    message["Message-ID"] = "<inline@x>"
    message.set_content("See the picture")
    message.add_alternative('<p>See <img src="cid:shot"></p>', subtype="html")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 6000
    message.get_payload()[1].add_related(png, "image", "png", cid="<shot>", filename="image001.png")
    message.add_attachment(b"\x78\x9f\x3e\x22" + b"\x00" * 100, "application", "ms-tnef", filename="winmail.dat")
    parsed = parse(message.as_bytes())
    by_name = {a.filename: a for a in parsed.attachments}
    assert by_name["image001.png"].inline and by_name["image001.png"].data == png
    assert by_name["winmail.dat"].content_type == "application/ms-tnef" and not by_name["winmail.dat"].inline
    assert parsed.text == "See the picture"


def test_bad_charset_is_read_with_replacement_not_refused():
    data = raw("x").replace(
        b'Content-Type: text/plain; charset="utf-8"', b'Content-Type: text/plain; charset="x-unknown"'
    )
    data = data.replace(b"\nx\n", b"\ncaf\xe9\n")
    assert "caf" in parse(data).text


def test_oversized_mail_is_unreadable(settings):
    settings.INBOUND_EMAIL_MAX_BYTES = 1000
    with pytest.raises(Unreadable, match="too large"):
        parse(raw("x" * 2000))


def test_mail_without_a_sender_is_unreadable():
    with pytest.raises(Unreadable):
        parse(b"Subject: hi\r\n\r\nbody\r\n")


def test_missing_message_id_is_named_by_the_bytes():
    data = raw("hello").replace(b"Message-ID: <abc@mail.district.example>\n", b"")
    assert parse(data).message_id == parse(data).message_id
    assert parse(data).message_id.startswith("<sha256-")


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto_Submitted": "auto-replied"},
        {"X_Autoreply": "yes"},
        {"X_Autorespond": "Out of office"},
        {"Precedence": "bulk"},
        {"Precedence": "list"},
        {"List_Id": "<news.example.org>"},
        {"From": "MAILER-DAEMON@mx.example.org"},
        {"From": "IT Help Desk <helpdesk@district.example>"},
    ],
)
def test_automatic_mail_is_recognised(headers):
    assert classify.automatic_reason(parse(raw(**headers))) is not None


def test_delivery_report_is_recognised():
    data = raw().replace(
        b'Content-Type: text/plain; charset="utf-8"',
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
    )
    assert classify.automatic_reason(parse(data)) is not None


def test_a_person_writing_is_not_automatic():
    assert classify.automatic_reason(parse(raw(Auto_Submitted="no"))) is None
