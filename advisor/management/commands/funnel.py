"""The questionnaire's funnel and sources of the last N days: `python manage.py funnel --days 30
--json` (the shape is in advisor/funnel/report.py and docs/funnel.md)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from advisor.funnel.export import as_json, as_text
from advisor.funnel.report import funnel_report, period_ending

MAX_DAYS = 3660


class Command(BaseCommand):
    help = (
        "Print the questionnaire's funnel of the last N days (today included): visits that "
        "started, reached and completed each step, submitted, opened the advice, downloaded "
        "the PDF, shared it and used a contact button, and started and submitted per source. "
        "Counts only; nothing personal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30,
                            help="the number of days, today included (default: 30)")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--lang", choices=["nl", "en"], default="nl",
                            help="language of the readable text (default: nl)")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if not 1 <= days <= MAX_DAYS:
            raise CommandError(f"--days must be between 1 and {MAX_DAYS}, not {days}.")
        first_day, last_day = period_ending(days=days, today=timezone.localdate())
        report = funnel_report(first_day=first_day, last_day=last_day)
        with translation.override(options["lang"]):
            self.stdout.write(as_json(report) if options["json"] else as_text(report))
