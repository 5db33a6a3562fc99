"""Delivering one stored mail through Django's mail API, exactly once.

Temporary failures (no connection, a 4xx answer) are retried by the queue with back-off;
permanent ones (a 5xx answer, an address no server accepts) mark the mail failed at once.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.utils import timezone
from procrastinate import RetryDecision
from procrastinate.jobs import Job
from procrastinate.retry import BaseRetryStrategy

from advisor.models import MailStatus, OutgoingMail

logger = logging.getLogger(__name__)

SENT, ALREADY_SENT, FAILED, GONE, NOT_QUEUED = (
    "sent", "already sent", "failed", "gone", "not queued"
)


class TemporaryMailFailure(Exception):
    """The mail could not be delivered now but may be later; the queue tries again."""


@dataclass(frozen=True)
class Failure:
    permanent: bool
    description: str  # the exception class and SMTP code: never an address or server text


def smtp_code(error: BaseException) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        # Permanent only when every recipient was refused permanently.
        return min(codes) if codes else None
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code
    return None


def classify(error: BaseException) -> Failure:
    code = smtp_code(error)
    name = type(error).__name__
    if code is not None:
        return Failure(permanent=code >= 500, description=f"{name} {code}")
    # A malformed address or header: no server will ever take this mail as it is.
    permanent = isinstance(error, ValueError | UnicodeError)
    return Failure(permanent=permanent, description=name)


def as_message(mail: OutgoingMail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=mail.subject, body=mail.body_text, from_email=mail.sender, to=[mail.recipient],
        headers={**mail.headers, "Message-ID": mail.message_id},
    )
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    return message


def deliver(*, mail_id: int, final_attempt: bool) -> str:
    """Send the mail unless it is sent, failed or gone; raises TemporaryMailFailure to be
    tried again. Returns what happened."""
    failure = None
    with transaction.atomic():
        # The row lock makes a second job for the same mail wait, and then see SENT.
        mail = OutgoingMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None:
            return GONE  # erased on request, or purged
        if mail.status == MailStatus.SENT:
            return ALREADY_SENT
        if mail.status != MailStatus.QUEUED:
            return NOT_QUEUED
        mail.attempts += 1
        try:
            mailers.default.send_messages([as_message(mail)])
        except Exception as error:  # every failure is recorded on the mail, then judged
            failure = classify(error)
            mail.last_error = failure.description
            if failure.permanent or final_attempt:
                mail.status = MailStatus.FAILED
            mail.save(update_fields=["attempts", "last_error", "status"])
        else:
            mail.status, mail.sent_at, mail.last_error = MailStatus.SENT, timezone.now(), ""
            mail.save(update_fields=["attempts", "last_error", "status", "sent_at"])
    if failure is None:
        logger.info("Mail %s (%s) sent", mail.pk, mail.kind)
        return SENT
    if mail.status == MailStatus.FAILED:
        logger.error("Mail %s (%s) failed for good after %s attempt(s): %s",
                     mail.pk, mail.kind, mail.attempts, failure.description)
        return FAILED
    logger.warning("Mail %s (%s) not delivered yet (%s); trying again later",
                   mail.pk, mail.kind, failure.description)
    raise TemporaryMailFailure(failure.description)


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after each failed try, never more than MAIL_RETRY_MINUTES."""
    seconds = settings.MAIL_RETRY_BASE_SECONDS * 2 ** min(attempts, 16)
    return timedelta(seconds=min(seconds, settings.MAIL_RETRY_MINUTES * 60))


class MailRetry(BaseRetryStrategy):
    """Retry temporary failures only, with back-off, MAIL_MAX_RETRIES times (about a day)."""

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        if not isinstance(exception, TemporaryMailFailure):
            return None
        if job.attempts >= settings.MAIL_MAX_RETRIES:
            return None
        retry_at: datetime = timezone.now() + retry_delay(job.attempts)
        return RetryDecision(retry_at=retry_at)


def is_final_attempt(job: Job) -> bool:
    return job.attempts >= settings.MAIL_MAX_RETRIES


def send_again(*, mail: OutgoingMail) -> OutgoingMail:
    """The back office's "send again": queue a mail that failed (or is stuck) once more."""
    from advisor.outbox.mail import schedule_delivery

    with transaction.atomic():
        OutgoingMail.objects.filter(pk=mail.pk).exclude(status=MailStatus.SENT).update(
            status=MailStatus.QUEUED, last_error=""
        )
        mail.refresh_from_db()
        if mail.status == MailStatus.QUEUED:
            schedule_delivery(mail=mail)
    return mail
