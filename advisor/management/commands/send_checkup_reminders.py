"""Queue the yearly check-up reminders that are due: `python manage.py send_checkup_reminders`.

Workers do this every hour (CHECKUP_REMINDER_CRON); this runs it once, for development on
SQLite (no worker there) or to catch up by hand. Each reminder is still sent only once.
"""

from typing import Any

from django.core.management.base import BaseCommand

from advisor.questionnaire.checkup import queue_due_reminders


class Command(BaseCommand):
    help = "Queue every yearly check-up reminder that is due (each is sent only once)."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = queue_due_reminders()
        self.stdout.write(f"Queued {queued} check-up reminder(s).")
