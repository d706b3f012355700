import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tickets import email_in


class Command(BaseCommand):
    help = "Handle one RFC 5322 message (a file, or standard input) as the mailbox task does, and say what it did."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="an .eml file; standard input when left out")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        try:
            raw = Path(path).read_bytes() if path else sys.stdin.buffer.read()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        if not raw.strip():
            raise CommandError("The message is empty.")
        self.stdout.write(str(email_in.handle_raw(raw)))
