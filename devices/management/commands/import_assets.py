"""`manage.py import_assets FILE.csv [--dry-run]` (API.md "Commands"); the rules are in devices.importer."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from devices.importer import ImportRefused, import_assets


class Command(BaseCommand):
    help = "Import devices from our CSV or a Google Admin Chrome devices export, keyed by tag; all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="Say what would change and change nothing.")

    def handle(self, *args: Any, path: str, dry_run: bool, **options: Any) -> None:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: cannot read it ({error})") from None
        try:
            report = import_assets(text, dry_run=dry_run)
        except ImportRefused as refused:
            raise CommandError(
                f"{path}: nothing imported.\n" + "\n".join(f"{path} {error}" for error in refused.errors[:50])
            ) from None
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{path} ({report.format}): {report.created} devices {verb} added, {report.updated} changed, "
            f"{report.unchanged} unchanged, {report.skipped} skipped (no asset ID), "
            f"{report.without_holder} without a known person."
        )
