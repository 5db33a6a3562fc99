"""Send the mail outbox continuously: `python manage.py mail_worker` (Ctrl-C or SIGTERM stops)."""

import logging
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from post_office.mail import send_queued_mail_until_done

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Send queued e-mail every few seconds until stopped. A mail that fails (SMTP server "
        "down) is retried later, see POST_OFFICE in settings. Stops after the current batch."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=5.0,
                            help="seconds between looks at the outbox (default: 5)")
        parser.add_argument("--once", action="store_true",
                            help="send what is due now, then stop")

    def handle(self, *args: Any, interval: float, once: bool, **options: Any) -> None:
        if options["verbosity"] < 2:
            # post-office logs two INFO lines per look at the outbox, even an empty one.
            logging.getLogger("post_office").setLevel(logging.WARNING)
        stop = threading.Event()
        if not once:
            # Finish the batch in hand before stopping, so no sent mail is left marked queued.
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
        while True:
            try:
                send_queued_mail_until_done()
            except Exception:
                logger.exception("Sending the outbox failed; trying again in %s s.", interval)
            if once:
                return
            close_old_connections()
            if stop.wait(interval):
                return
