"""The yearly check-up: the visitor's opt-in at the contact step, the one reminder, its links,
and stopping it.

A visitor who ticks the opt-in gets a CheckupReminder, due CHECKUP_AFTER_MONTHS after the
submission. The ``send_due_checkup_reminders`` job (tasks.py) hands each due reminder to the
outbox exactly once: a conditional UPDATE claims it (two workers cannot both succeed), and a
unique constraint on the mail is the last guard. The link in the mail opens the questionnaire
with the earlier answers (the wizard's ``prefill``); the new submission then continues the
old one (Submission.previous). What is kept for the check-up, and how long, is the privacy
room's rule (privacy.services.kept_for_checkup).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from advisor.models import CheckupReminder, MailKind, MailStatus, OutgoingMail, Submission
from advisor.outbox.limits import AddressLimitReached
from advisor.outbox.mail import queue_checkup_mail
from advisor.privacy.consent import (
    CHECKUP_AFTER_MONTHS,
    CHECKUP_CONSENT_VERSION,
    CHECKUP_KEEP_MONTHS,
)
from advisor.privacy.services import delete_if_past_retention, months_after, months_before
from advisor.questionnaire.selectors import TOKEN_SHAPE

logger = logging.getLogger(__name__)

# Where a reminder stands, for the result page and the back office.
PENDING, SENT, STOPPED = "pending", "sent", "stopped"
# The stop page of a link with no reminder (any more) behind it.
GONE = "gone"
# A reminder found later than this before its link expires is not sent any more: a mail
# whose link dies within days would only disappoint (after a long outage of the workers).
LAST_SENDING_DAYS = 7
# Reminders claimed per run of the job; the next run takes the rest.
BATCH = 200


def opt_in(*, submission: Submission) -> CheckupReminder:
    """Record the opt-in given with this submission, at its time, with the text's version."""
    return CheckupReminder.objects.create(
        submission=submission, consent_at=submission.created_at,
        consent_version=CHECKUP_CONSENT_VERSION,
        due_at=months_after(submission.created_at, CHECKUP_AFTER_MONTHS),
    )


def link_valid_until(reminder: CheckupReminder) -> datetime:
    """The reminder's link works, and what it needs is kept, until this moment."""
    return months_after(reminder.due_at, CHECKUP_KEEP_MONTHS)


def state(reminder: CheckupReminder) -> str:
    if reminder.opted_out_at is not None:
        return STOPPED
    return SENT if reminder.sent_at is not None else PENDING


def _sendable(now: datetime) -> QuerySet[CheckupReminder]:
    """Due, not sent, not stopped, and with more than LAST_SENDING_DAYS of its link left."""
    latest_due = months_before(now + timedelta(days=LAST_SENDING_DAYS), CHECKUP_KEEP_MONTHS)
    return CheckupReminder.objects.filter(due_at__lte=now, due_at__gt=latest_due,
                                          sent_at__isnull=True, opted_out_at__isnull=True)


def queue_due_reminders(*, now: datetime | None = None) -> int:
    """Hand every due reminder to the outbox, each exactly once, however many workers run
    this at the same time; returns how many this run queued."""
    now = now or timezone.now()
    queued = 0
    for reminder_id in list(_sendable(now).order_by("due_at").values_list("pk", flat=True)
                            [:BATCH]):
        queued += _send(reminder_id=reminder_id, now=now)
    logger.info("Check-up reminders queued: %d", queued)
    return queued


def _send(*, reminder_id: int, now: datetime) -> bool:
    try:
        return _claim_and_queue(reminder_id=reminder_id, now=now)
    except AddressLimitReached:
        # The mailbox has had its mails for today (outbox/limits.py): the claim is rolled
        # back with the mail, so the reminder stays due and a later run sends it.
        logger.info("Check-up reminder %d waits: its address had its mails for today",
                    reminder_id)
        return False


def _claim_and_queue(*, reminder_id: int, now: datetime) -> bool:
    with transaction.atomic():
        # The submission first, as erasure and purge lock it: the same order, no deadlock,
        # and a reminder whose submission is being erased waits and then finds nothing.
        submission = (Submission.objects.select_for_update(of=("self",))
                      .filter(checkup__pk=reminder_id).first())
        if submission is None:
            return False
        # The claim: of two runs at once, one UPDATE matches; the other sees sent_at set.
        claimed = _sendable(now).filter(pk=reminder_id).update(sent_at=now)
        if not claimed:
            return False
        reminder = CheckupReminder.objects.get(pk=reminder_id)
        queue_checkup_mail(submission=submission, reminder=reminder,
                           valid_until=link_valid_until(reminder))
    return True


def reminder_for_token(token: str) -> CheckupReminder | None:
    """The reminder behind a stop link, in any state; None for an unknown token."""
    if not TOKEN_SHAPE.fullmatch(token):
        return None
    return CheckupReminder.objects.select_related("submission").filter(token=token).first()


def reminder_to_continue(token: str, *, now: datetime | None = None) -> CheckupReminder | None:
    """The reminder whose link may open the questionnaire: sent, not stopped, and its
    period not over. None otherwise (unknown, erased, purged, stopped or expired)."""
    reminder = reminder_for_token(token)
    now = now or timezone.now()
    if reminder is None or state(reminder) != SENT or link_valid_until(reminder) <= now:
        return None
    return reminder


@dataclass(frozen=True)
class Previous:
    """What the link pre-fills: the earlier answers and the address the reminder went to."""

    token: str
    answers: dict[str, str]
    email: str


def previous_answers(token: str) -> Previous | None:
    reminder = reminder_to_continue(token)
    if reminder is None:
        return None
    submission = reminder.submission
    return Previous(token=reminder.token, answers=dict(submission.answers),
                    email=submission.email)


def continued_submission(token: str | None) -> Submission | None:
    """The submission a completed check-up continues, if its link is still valid."""
    reminder = reminder_to_continue(token) if token else None
    return reminder.submission if reminder else None


def reminder_of(submission: Submission) -> CheckupReminder | None:
    if Submission.checkup.is_cached(submission):
        # Read with the submission (selectors.shared_submission_or_404): no query.
        return getattr(submission, "checkup", None)
    return CheckupReminder.objects.filter(submission=submission).first()


def checkup_status(submission: Submission) -> dict[str, object] | None:
    """The opt-in as the result page shows it; None when the visitor did not opt in."""
    reminder = reminder_of(submission)
    if reminder is None:
        return None
    return {"state": state(reminder), "due_at": reminder.due_at, "sent_at": reminder.sent_at,
            "opted_out_at": reminder.opted_out_at, "email": submission.email}


def stop_reminder(*, reminder: CheckupReminder) -> bool:
    """The visitor withdraws the opt-in: nothing is sent any more (a reminder still in the
    outbox is taken out), and a submission kept only for the check-up is deleted at once.
    True when that deleted the submission."""
    now = timezone.now()
    with transaction.atomic():
        CheckupReminder.objects.filter(pk=reminder.pk, opted_out_at__isnull=True).update(
            opted_out_at=now)
        # A mail being sent right now holds its row lock: this waits, then leaves it (SENT).
        OutgoingMail.objects.filter(submission=reminder.submission_id, kind=MailKind.CHECKUP,
                                    status=MailStatus.QUEUED).delete()
    removed = delete_if_past_retention(submission_id=reminder.submission_id)
    logger.info("Check-up reminder %s stopped by the visitor; %s", reminder.pk, removed)
    return removed.submissions > 0
