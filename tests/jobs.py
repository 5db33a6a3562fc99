"""Running queued jobs from a test, the way the site runs them.

SQLite (settings.TASKS_IN_PROCESS): jobs live in memory and run in-process; on PostgreSQL
they are rows that a worker with its own connection fetches, so tests that run jobs there
use ``django_db(transaction=True)``: the worker only sees what was committed.
"""

from django.conf import settings
from procrastinate.contrib.django import app

from advisor.queue.app import run_jobs_in_process


def run_due_jobs() -> None:
    """Run every job that is due now, as a worker would, then return."""
    if settings.TASKS_IN_PROCESS:
        run_jobs_in_process()
        return
    with app.replace_connector(app.connector.get_worker_connector()):
        app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)


def reset_in_memory_jobs() -> None:
    """Forget jobs left in memory by an earlier test (SQLite mode only)."""
    if settings.TASKS_IN_PROCESS:
        app.connector.reset()


def run_jobs_until(done, *, seconds: float = 30) -> None:
    """Run due jobs again and again (retries come due with back-off) until done() holds."""
    import time

    deadline = time.monotonic() + seconds
    while True:
        run_due_jobs()
        if done():
            return
        assert time.monotonic() < deadline, "the jobs did not finish in time"
        time.sleep(0.3)
