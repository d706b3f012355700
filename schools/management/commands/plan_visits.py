from typing import Any

from django.core.management.base import BaseCommand

from schools.services import plan_all_visits


class Command(BaseCommand):
    help = "Plan every rotation's visits up to the horizon (the nightly job, run by hand)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Planned {plan_all_visits()} new visits.")
