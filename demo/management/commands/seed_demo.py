"""`manage.py seed_demo`: a realistic demo district in seconds, or a million tickets in minutes.

Rows go in with bulk_create (COPY on PostgreSQL), bypassing the ticket services:
no signal fires and no email is queued or sent while seeding. See demo/.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.district import DEMO_EMAIL_DOMAIN
from demo.seed import AlreadySeeded, is_seeded, seed_district


class Command(BaseCommand):
    help = "Seed a demo district: schools, queues, categories, staff, teachers and tickets across three school years."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--schools", type=int, default=60, help="number of schools (default 60)")
        parser.add_argument("--tickets", type=int, default=20_000, help="number of tickets (default 20000)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed; the same seed gives the same district")
        parser.add_argument(
            "--flush",
            action="store_true",
            help="first delete every ticket, school, queue, category and demo user (an existing district is refused)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="if a district already exists, keep it and succeed without seeding (for `make demo` and re-runs)",
        )

    def handle(self, *args: Any, schools: int, tickets: int, seed: int, flush: bool, **options: Any) -> None:
        if schools < 1:
            raise CommandError("--schools must be at least 1.")
        if tickets < 0:
            raise CommandError("--tickets cannot be negative.")
        verbose = options["verbosity"] >= 1
        if options["if_empty"] and not flush and is_seeded():
            self.stdout.write("A district is already seeded; keeping it (use --flush to replace it).")
            return
        try:
            result = seed_district(
                schools=schools,
                tickets=tickets,
                seed=seed,
                replace=flush,
                progress=lambda message: verbose and self.stdout.write(f"  {message}"),
            )
        except AlreadySeeded:
            raise CommandError(
                "This database already has a district (schools exist). Run `manage.py seed_demo --flush` to replace "
                "it: that deletes every ticket, school, queue, category and demo user."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {result.schools} schools, {result.users} people and {result.tickets} tickets "
                f"in {result.seconds:.1f}s."
            )
        )
        if result.devices is not None:
            self.stdout.write(
                f"Devices: {result.devices.devices} ({result.devices.linked_tickets} tickets on them, "
                f"{result.devices.loans_out} loaners out, {result.devices.plans} maintenance plans "
                f"with {result.devices.tasks} tasks)."
            )
        self.stdout.write("Sign in at /accounts/login/ as:")
        for role, (username, password) in result.sign_ins.items():
            self.stdout.write(f"  {role:<15} {username:<22} password {password}")
        teacher_password = result.sign_ins["teacher"][1]
        self.stdout.write(f"  {'campus contact':<15} {result.campus_contact:<22} password {teacher_password}")
        self.stdout.write("Every other demo teacher uses the teacher password, every technician the technician one.")
        teacher_email = f"{result.sign_ins['teacher'][0]}@{DEMO_EMAIL_DOMAIN}"
        self.stdout.write(
            f"Try email in: python manage.py ingest_email demo/sample_email.eml (a request from {teacher_email}; "
            "a reply with [#<id>] in its subject becomes a comment)"
        )
