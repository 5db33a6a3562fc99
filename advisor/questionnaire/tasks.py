"""The visitor's jobs: the domain check of a submission (deferred with
``domain_check.request_domain_check``, on commit) and the periodic yearly check-up reminders."""

from django.conf import settings
from procrastinate.contrib.django import app

from advisor.questionnaire.checkup import queue_due_reminders
from advisor.questionnaire.domain_check import store_domain_check_of

DOMAIN_CHECK_QUEUE = "domain_checks"
CHECKUP_QUEUE = "checkups"


@app.task(queue=DOMAIN_CHECK_QUEUE)
def check_submission_domain(submission_id: int) -> str:
    """Check and store one submission's domain; its queueing lock is ``domain-check-<id>``.

    Not retried: the check has its own time budget and stores "unknown" findings when the DNS
    does not answer; the back office's "check again" asks anew.
    """
    return store_domain_check_of(submission_id=submission_id)


@app.periodic(cron=settings.CHECKUP_REMINDER_CRON)
@app.task(queue=CHECKUP_QUEUE, queueing_lock="send_due_checkup_reminders", pass_context=False)
def send_due_checkup_reminders(timestamp: int) -> int:
    """Hand the yearly check-up reminders that are due to the outbox, each exactly once
    (checkup.queue_due_reminders claims each with a conditional UPDATE), however many
    workers run it and however often."""
    return queue_due_reminders()
