"""Delete everything past the retention period: `python manage.py purge` (run it daily)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from advisor.privacy.services import purge_expired, retention_cutoff


class Command(BaseCommand):
    help = (
        "Delete submissions older than RETENTION_MONTHS with their PDF reports and the mails "
        "about them, older outbox mails, orphaned report files and expired sessions. A "
        "submission whose yearly check-up still needs it keeps only what that needs. "
        "Schedule it once a day (cron or a systemd timer)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--months", type=int, default=None,
                            help=f"retention in months (default: RETENTION_MONTHS, "
                                 f"now {settings.RETENTION_MONTHS})")

    def handle(self, *args: Any, **options: Any) -> None:
        months = options["months"]
        removed = purge_expired(months=months)
        cutoff = retention_cutoff(months=months)
        self.stdout.write(
            f"Deleted everything from before {cutoff:%Y-%m-%d}: {removed.submissions} "
            f"submissions, {removed.files} files, {removed.mails} mails, "
            f"{removed.crm_deliveries} CRM webhook deliveries, {removed.sessions} expired "
            f"sessions; {removed.reduced} submissions kept for their yearly check-up, reduced "
            "to what it needs."
        )
