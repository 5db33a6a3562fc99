"""Writing submissions: the one place a completed questionnaire becomes a stored lead."""

import contextlib
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from advisor.advice import table as q
from advisor.advice.engine import advise
from advisor.funnel import counting
from advisor.funnel.sources import Source
from advisor.models import FunnelEvent, Submission
from advisor.outbox.limits import AddressLimitReached
from advisor.outbox.mail import queue_advice_mail, queue_consultant_notification
from advisor.privacy.consent import current_statement_version
from advisor.questionnaire.checkup import continued_submission, opt_in
from advisor.questionnaire.domain_check import request_domain_check
from advisor.reports.report import request_report
from advisor.web.fragments import forget_private_pages
from advisor.webhooks.events import queue_lead_created


@transaction.atomic
def create_submission(
    *, answers: Mapping[str, str], contact: Mapping[str, Any], language: str,
    idempotency_key: str | None = None, source: Source | None = None,
    previous: Submission | None = None,
) -> Submission:
    """Compute the advice for the answers and store it with the contact details, consent
    and where the visit came from (and the opt-in to the yearly check-up when
    ``contact["checkup"]`` is true); ``previous`` is the submission a check-up continues."""
    advice = advise(answers)
    submission = Submission.from_advice(
        advice.as_dict(), contact=contact, language=language,
        consent_version=current_statement_version(), idempotency_key=idempotency_key,
        previous=previous, email_confirmed_at=_confirmed_by_checkup(previous, contact),
        **(source or Source()).submission_fields(),
    )
    submission.save()
    if contact.get("checkup"):
        # Before the advice mail, which tells how to stop the reminder.
        opt_in(submission=submission)
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
    # And to the consultant's CRM, if switched on and the statement agreed to said so.
    queue_lead_created(submission=submission)
    return submission


def _confirmed_by_checkup(previous: Submission | None, contact: Mapping[str, Any]
                          ) -> datetime | None:
    """A check-up started from the reminder's link, which went to the earlier lead's address:
    the same address needs no new confirmation before the visitor may share."""
    if previous is not None and previous.email.casefold() == contact["email"].casefold():
        return timezone.now()
    return None


def count_submission(*, submission: Submission, source: Source) -> None:
    """The funnel's count of a stored questionnaire: submitted, and its contact step
    completed. Here, with the row, so two requests at once count it once."""
    day = timezone.localdate(submission.created_at)
    for event, detail in ((FunnelEvent.SUBMITTED, ""),
                          (FunnelEvent.STEP_COMPLETED, q.contact_step().name)):
        counting.add(day=day, language=submission.language, event=event, detail=detail,
                     source=source)


def submit_questionnaire(
    *, idempotency_key: str, answers: Mapping[str, str], contact: Mapping[str, Any],
    language: str, source: Source | None = None, continues: str | None = None,
) -> Submission:
    """The completed questionnaire, stored once per key: a double click, a resubmit or two
    requests at once give the same submission, one set of mails and one count in the
    funnel. Returns the submission whose result page the visitor goes to. ``continues`` is
    the token of the check-up reminder whose link started it: the new submission is linked
    to that one's."""
    source = source or Source()
    try:
        # A savepoint: a duplicate key undoes this attempt, its queued mails and count included.
        with transaction.atomic():
            submission = create_submission(answers=answers, contact=contact,
                                           language=language, idempotency_key=idempotency_key,
                                           source=source,
                                           previous=continued_submission(continues))
            count_submission(submission=submission, source=source)
            return submission
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
    # The link no longer shows the page, so no copy of it is kept either.
    forget_private_pages([submission.token])
    return submission


def extend_link(*, submission: Submission, days: int | None = None) -> Submission:
    """Let the report link work for another period from today; this also undoes a revocation."""
    submission.link_expires_at = timezone.now() + timedelta(
        days=settings.SHARE_LINK_DAYS if days is None else days
    )
    submission.link_revoked_at = None
    submission.save(update_fields=["link_expires_at", "link_revoked_at"])
    return submission
