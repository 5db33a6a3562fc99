"""Writing submissions: the one place a completed questionnaire becomes a stored lead."""

import contextlib
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from advisor.advice.engine import advise
from advisor.models import Submission
from advisor.outbox.limits import AddressLimitReached
from advisor.outbox.mail import queue_advice_mail, queue_consultant_notification
from advisor.privacy.consent import PRIVACY_STATEMENT_VERSION
from advisor.questionnaire.domain_check import request_domain_check
from advisor.reports.report import request_report


@transaction.atomic
def create_submission(
    *, answers: Mapping[str, str], contact: Mapping[str, Any], language: str,
    idempotency_key: str | None = None,
) -> Submission:
    """Compute the advice for the answers and store it with the contact details and consent."""
    advice = advise(answers)
    submission = Submission.from_advice(
        advice.as_dict(), contact=contact, language=language,
        consent_version=PRIVACY_STATEMENT_VERSION, idempotency_key=idempotency_key,
    )
    submission.save()
    # Same transaction: the consultant is told about every stored submission, and only those,
    # and the visitor gets the advice promised at the contact step. The jobs that send the
    # mails, check the domain and render the PDF are deferred when this transaction commits;
    # the check first, so that where jobs run in order the first PDF already shows it.
    queue_consultant_notification(submission=submission)
    # If the address had its mails for today, the lead is kept without the advice mail,
    # and the result page offers to send it later (questionnaire/sharing.py).
    with contextlib.suppress(AddressLimitReached):
        queue_advice_mail(submission=submission)
    request_domain_check(submission=submission)
    request_report(submission=submission)
    return submission


def submit_questionnaire(
    *, idempotency_key: str, answers: Mapping[str, str], contact: Mapping[str, Any],
    language: str,
) -> Submission:
    """The completed questionnaire, stored once per key: a double click, a resubmit or two
    requests at once give the same submission and one set of mails. Returns the submission
    whose result page the visitor goes to."""
    try:
        # A savepoint: a duplicate key undoes this attempt, its queued mails included.
        with transaction.atomic():
            return create_submission(answers=answers, contact=contact, language=language,
                                     idempotency_key=idempotency_key)
    except IntegrityError:
        # The unique key: another request stored this questionnaire first.
        existing = Submission.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing


def revoke_link(*, submission: Submission) -> Submission:
    """Make the report link stop working now (the back office's "revoke link")."""
    submission.link_revoked_at = timezone.now()
    submission.save(update_fields=["link_revoked_at"])
    return submission


def extend_link(*, submission: Submission, days: int | None = None) -> Submission:
    """Let the report link work for another period from today; this also undoes a revocation."""
    submission.link_expires_at = timezone.now() + timedelta(
        days=settings.SHARE_LINK_DAYS if days is None else days
    )
    submission.link_revoked_at = None
    submission.save(update_fields=["link_expires_at", "link_revoked_at"])
    return submission
