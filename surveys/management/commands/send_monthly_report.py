"""`manage.py send_monthly_report [--month YYYY-MM] [--force]`: the monthly report, on demand.

Sends only to directors who have not had that month's report, like the beat task;
`--force` sends it again to every director (and even when the report is switched off).
"""

from datetime import date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from surveys.dashboard import report
from surveys.models import SurveySettings


def parse_month(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise CommandError(f'--month must look like "2026-03", not "{value}".') from None


class Command(BaseCommand):
    help = "Email the monthly report (last month unless --month) to each director who has not had it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="The month to report on, as YYYY-MM. Default: last month.")
        parser.add_argument(
            "--force", action="store_true", help="Send it again to every director, even if they already had it."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        month = parse_month(options["month"]) if options["month"] else None
        force = options["force"]
        try:
            emails = report.send_monthly_report(month=month, force=force)
        except report.ReportNotReady as error:
            raise CommandError(str(error)) from None
        if emails:
            self.stdout.write(f"Queued the report for {len(emails)} director(s): {', '.join(e.to for e in emails)}.")
        elif not force and not SurveySettings.load().monthly_report_enabled:
            self.stdout.write("The monthly report is switched off in the survey settings; use --force to send it.")
        else:
            self.stdout.write(
                "Nothing to send: every director with an email address already has that report (use --force to resend it)."
            )
