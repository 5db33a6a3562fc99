"""The domain check of a submission: asked for when it is stored, run by a job, stored with it.

The check itself (advisor/domaincheck) knows nothing of submissions; this module decides when
it runs (only with the consultant's switch on), and stores its findings with their time.
"""

import logging

from django.utils import timezone, translation

from advisor.consultant.branding import current_profile
from advisor.domaincheck import check_domain, domain_of_email
from advisor.models import DomainCheckState, Submission
from advisor.queue.jobs import defer_on_commit
from advisor.reports.report import report_lock

logger = logging.getLogger(__name__)

STORED, SWITCHED_OFF, GONE = "stored", "switched_off", "gone"


def domain_check_enabled() -> bool:
    """The consultant's switch in the profile (on until they turn it off)."""
    return current_profile().domain_check_enabled


def request_domain_check(*, submission: Submission) -> bool:
    """Mark the submission "being checked" and defer the check to when this transaction
    commits. False, and nothing looked up, while the consultant has switched the check off.

    The queueing lock ``domain-check-<id>`` keeps at most one check of a lead waiting.
    """
    if not domain_check_enabled():
        return False
    from advisor.questionnaire.tasks import check_submission_domain

    Submission.objects.filter(pk=submission.pk).update(
        domain_check_level=DomainCheckState.PENDING
    )
    submission.domain_check_level = DomainCheckState.PENDING
    # The report's lock: a render deferred after this check waits for it, so the first PDF
    # shows the findings however many workers there are.
    defer_on_commit(check_submission_domain, queueing_lock=f"domain-check-{submission.pk}",
                    lock=report_lock(submission.pk), submission_id=submission.pk)
    return True


def store_domain_check_of(*, submission_id: int) -> str:
    """The job's work: check the domain of the lead's address and store what was found.

    DNS trouble and the time budget (settings.DOMAIN_CHECK_TIMEOUT/_BUDGET) end in "unknown"
    findings, which are stored like any other; an address without a public domain is stored
    as skipped. Returns STORED, SWITCHED_OFF or GONE (the lead was erased).
    """
    submission = Submission.objects.filter(pk=submission_id).only("email", "language").first()
    if submission is None:
        return GONE
    if not domain_check_enabled():
        Submission.objects.filter(pk=submission_id, domain_check_level=DomainCheckState.PENDING
                                  ).update(domain_check_level="")
        return SWITCHED_OFF
    domain = domain_of_email(submission.email)
    report, level = None, DomainCheckState.SKIPPED
    if domain is not None:
        try:
            # Texts are stored in the visitor's language; pages rebuild them in theirs.
            with translation.override(submission.language):
                report = check_domain(domain).as_dict()
            level = report["level"] or DomainCheckState.SKIPPED
        except Exception:
            # A bug in the check must not leave the lead "being checked" for ever.
            logger.exception("The domain check of submission %s failed", submission_id)
            level = DomainCheckState.FAILED
    # The PDF's fingerprint covers the stored check: a PDF made before it arrived is made
    # again on its next download (reports.report.report_download).
    stored = Submission.objects.filter(pk=submission_id).update(
        domain_check=report, domain_check_level=level, domain_checked_at=timezone.now(),
    )
    logger.info("Stored the domain check of submission %s", submission_id)
    return STORED if stored else GONE
