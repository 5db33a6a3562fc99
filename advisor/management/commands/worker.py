"""Run the background worker: `python manage.py worker` (what `make worker` runs).

procrastinate's own worker (`manage.py procrastinate worker`), with the PDF renderer warmed
up first. Start as many as you like, on as many hosts as you like: they share the queue in
PostgreSQL. Ctrl-C or SIGTERM stops it after the jobs in hand.
"""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from advisor.reports.pdf import warm_up

SQLITE_NOTE = (
    "No worker needed: with SQLite (development) jobs run inside the web process right after "
    "each request. Set DATABASE_URL to PostgreSQL to run jobs in workers."
)


class Command(BaseCommand):
    help = "Run the procrastinate worker for PDF reports and mail, with the renderer warmed up."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--concurrency", type=int, default=None,
                            help="jobs at the same time (default: WORKER_CONCURRENCY)")
        parser.add_argument("--queue", action="append", dest="queues", default=None,
                            help="only this queue (reports, mail, domain_checks, checkups); may "
                                 "be repeated")
        parser.add_argument("--no-warm-up", action="store_true",
                            help="skip warming up the PDF renderer")

    def handle(self, *args: Any, concurrency: int | None, queues: list[str] | None,
               no_warm_up: bool, **options: Any) -> None:
        if settings.TASKS_IN_PROCESS:
            self.stdout.write(SQLITE_NOTE)
            return
        if not no_warm_up:
            self.stdout.write(f"PDF renderer warmed up in {warm_up():.1f} s.")
        arguments = ["worker"]
        if concurrency is not None:
            arguments += ["--concurrency", str(concurrency)]
        if queues:
            arguments += ["--queues", ",".join(queues)]
        call_command("procrastinate", *arguments)
