"""The procrastinate app as this site configures it.

On PostgreSQL the app of ``procrastinate.contrib.django`` is used as it comes: jobs are rows
in its tables, deferred over Django's own connection (so inside the caller's transaction),
and workers fetch them with ``SELECT ... FOR UPDATE SKIP LOCKED``. On SQLite
(settings.TASKS_IN_PROCESS, development only) it gets procrastinate's in-memory connector and
the jobs run in this process right after the transaction that deferred them commits.
"""

import threading
from collections.abc import Callable

from django.conf import settings
from procrastinate import App
from procrastinate.contrib.django import app
from procrastinate.testing import InMemoryConnector

# One in-process run at a time: the in-memory job list is not shared between threads.
_in_process_run = threading.Lock()


def on_app_ready(ready_app: App) -> None:
    """settings.PROCRASTINATE_ON_APP_READY: swap in the in-memory connector on SQLite."""
    if settings.TASKS_IN_PROCESS:
        connector = InMemoryConnector()
        ready_app.connector = connector
        ready_app.job_manager.connector = connector


def in_process(work: Callable[[], None]) -> None:
    """Do queue work in a thread of its own and wait for it (SQLite mode only).

    procrastinate runs its own event loop; the caller's thread may already have one (an
    async server, a browser test), in which it could not start another.
    """
    failures: list[BaseException] = []

    def guarded() -> None:
        try:
            with _in_process_run:
                work()
        except BaseException as error:
            failures.append(error)

    thread = threading.Thread(target=guarded, name="in-process-jobs")
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


def run_jobs_in_process() -> None:
    """Run every job that is due now, in this process, then return (SQLite mode only)."""
    in_process(lambda: app.run_worker(
        wait=False, install_signal_handlers=False, listen_notify=False, concurrency=1,
    ))
