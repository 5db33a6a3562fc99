"""The report job. Defer it with ``advisor.reports.report.request_report`` (on commit)."""

import logging

from procrastinate import JobContext, RetryStrategy
from procrastinate.contrib.django import app

from advisor.reports.pdf import ReportUnavailable
from advisor.reports.report import mark_report_failed, store_report_of

logger = logging.getLogger(__name__)

REPORTS_QUEUE = "reports"
# A render that failed or timed out is tried again after 10 s and 100 s, then given up.
RENDER_ATTEMPTS = 3
RENDER_RETRY = RetryStrategy(max_attempts=RENDER_ATTEMPTS - 1, exponential_wait=10,
                             retry_exceptions=[ReportUnavailable])
FAILED = "failed"


@app.task(queue=REPORTS_QUEUE, pass_context=True, retry=RENDER_RETRY)
def store_report(context: JobContext, submission_id: int) -> str:
    """Render and store one submission's advice report; its queueing lock is ``report-<id>``."""
    assert context.job is not None
    try:
        return store_report_of(submission_id=submission_id)
    except ReportUnavailable:
        if context.job.attempts + 1 < RENDER_ATTEMPTS:
            raise
        logger.error("Giving up on the report of submission %s", submission_id)
        mark_report_failed(submission_id=submission_id)
        return FAILED
