"""`manage.py import_roster PATH [--dry-run]`: schools and people from the district's roster."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from people.roster import RosterInvalid, import_roster


class Command(BaseCommand):
    help = (
        "Import schools and staff from a OneRoster 1.1 CSV bundle (folder or .zip with orgs.csv and users.csv) "
        "or a plain CSV bundle (schools.csv and people.csv). All or nothing; keyed by sourcedId."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="print what would change and change nothing")

    def handle(self, *args: Any, path: Path, dry_run: bool, verbosity: int, **options: Any) -> None:
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        try:
            plan = import_roster(path, dry_run=dry_run)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        except RosterInvalid as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(exc.errors)} invalid row(s): nothing was changed") from exc
        if verbosity > 1 or dry_run:
            for school in plan.new_schools:
                self.stdout.write(f"new school: {school.row.code} {school.row.name}")
            for school in plan.changed_schools:
                self.stdout.write(f"changed school: {school.row.code} {_describe(school.changes)}")
            for person in plan.new_people:
                self.stdout.write(f"new person: {person.row.email or person.username} ({person.row.role})")
            for person in plan.changed_people:
                self.stdout.write(
                    f"changed person: {person.row.email or person.row.sourced_id} {_describe(person.changes)}"
                )
            for leaver in plan.leavers:
                self.stdout.write(f"deactivated: {leaver.label}")
        prefix = "dry run, nothing changed: would change " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + plan.summary()))


def _describe(changes: dict[str, tuple[object, object]]) -> str:
    return ", ".join(f"{name} {old!r} -> {new!r}" for name, (old, new) in changes.items()) or "(roster key linked)"
