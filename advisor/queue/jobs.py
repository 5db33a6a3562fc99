"""Deferring jobs: always after the transaction that made them necessary has committed.

A job only names ids (``mail_id``, ``submission_id``); it reads the rows itself when it runs,
so it sees what was committed, never a half-written request. Each job kind has a queueing
lock per object: while one such job waits, a second defer of it is refused (and ignored
here), so a double click or two downloads at once never queue the same work twice. A job may
also name a ``lock``: jobs with the same lock run one after the other, in the order they were
deferred, whichever worker takes them (procrastinate's lock, kept while a job runs).
"""

import logging
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.tasks import Task

from advisor.queue.app import in_process, run_jobs_in_process

logger = logging.getLogger(__name__)


def defer_on_commit(task: Task, *, queueing_lock: str, lock: str | None = None,
                    **kwargs: Any) -> None:
    """Defer ``task(**kwargs)`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(defer_now, task, queueing_lock=queueing_lock, lock=lock,
                                  **kwargs))


def defer_now(task: Task, *, queueing_lock: str, lock: str | None = None,
              **kwargs: Any) -> bool:
    """Defer ``task(**kwargs)``; False when the same job is already waiting (the queueing
    lock)."""
    deferrer = task.configure(queueing_lock=queueing_lock, lock=lock)
    try:
        if settings.TASKS_IN_PROCESS:
            in_process(lambda: deferrer.defer(**kwargs))
        else:
            deferrer.defer(**kwargs)
    except AlreadyEnqueued:
        logger.info("Job %s is already queued; not queued again", queueing_lock)
        return False
    if settings.TASKS_IN_PROCESS:
        run_jobs_in_process()
    return True
