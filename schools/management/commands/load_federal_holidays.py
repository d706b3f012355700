from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from schools.calendar import school_year_of
from schools.services import load_federal_holidays


class Command(BaseCommand):
    help = "Add the US federal holidays of a school year (July to June) to the district calendar."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="Calendar year the school year starts in (default: the current school year).",
        )

    def handle(self, *args: Any, year: int | None, **options: Any) -> None:
        year = year or school_year_of(timezone.localdate())
        added = load_federal_holidays(actor=None, school_year=year)
        self.stdout.write(f"Added {added} federal holidays for the {year}-{year + 1} school year.")
