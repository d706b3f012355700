"""A technician's visits as an iCalendar (RFC 5545) feed, written by hand: all-day events."""

from collections.abc import Iterable
from datetime import UTC, timedelta

from django.utils import timezone

from schools.models import Visit


def escape(text: str) -> str:
    """TEXT values escape backslash, semicolon, comma and line breaks (RFC 5545 3.3.11).

    A bare carriage return is a line break too: a calendar app would end the line there and
    read what follows as a property of its own.
    """
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after CRLF and a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def visits_calendar(visits: Iterable[Visit], *, name: str, domain: str) -> str:
    stamp = timezone.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//District IT Help Desk//Visits//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for visit in visits:
        school = visit.school
        status = "CANCELLED" if visit.status == Visit.Status.MISSED else "CONFIRMED"
        lines += [
            "BEGIN:VEVENT",
            f"UID:visit-{visit.pk}@{domain}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{visit.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{visit.date + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(f'Visit: {school.name}')}",
            f"LOCATION:{escape(school.address or school.name)}",
            f"STATUS:{status}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
