"""Jobs that keep the queue itself healthy."""

import logging

from django.conf import settings
from procrastinate.contrib.django import app

logger = logging.getLogger(__name__)


@app.periodic(cron=settings.JOB_RECOVERY_CRON)
@app.task(queueing_lock="retry_stalled_jobs", pass_context=False)
async def retry_stalled_jobs(timestamp: int) -> int:
    """Give the running jobs of a worker that stopped sending heartbeats to another worker.

    A worker killed mid-job (SIGKILL, a lost host) leaves its job "doing"; once its heartbeat
    is older than settings.JOB_STALLED_AFTER seconds the job is queued again, and each job
    checks what is already done before doing it (mail status, report fingerprint).
    """
    stalled = await app.job_manager.get_stalled_jobs(
        seconds_since_heartbeat=settings.JOB_STALLED_AFTER
    )
    for job in stalled:
        logger.warning("Retrying job %s (%s) of a stalled worker", job.id, job.task_name)
        await app.job_manager.retry_job(job)
    return len(stalled)
