"""The domain check job. Defer it with ``domain_check.request_domain_check`` (on commit)."""

from procrastinate.contrib.django import app

from advisor.questionnaire.domain_check import store_domain_check_of

DOMAIN_CHECK_QUEUE = "domain_checks"


@app.task(queue=DOMAIN_CHECK_QUEUE)
def check_submission_domain(submission_id: int) -> str:
    """Check and store one submission's domain; its queueing lock is ``domain-check-<id>``.

    Not retried: the check has its own time budget and stores "unknown" findings when the DNS
    does not answer; the back office's "check again" asks anew.
    """
    return store_domain_check_of(submission_id=submission_id)
