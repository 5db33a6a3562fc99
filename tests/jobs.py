"""Running queued jobs from a test, the way the site runs them.

SQLite (settings.TASKS_IN_PROCESS): jobs live in memory and run in-process; on PostgreSQL
they are rows that a worker with its own connection fetches, so tests that run jobs there
use ``django_db(transaction=True)``: the worker only sees what was committed.
"""

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Iterator

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
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
    deadline = time.monotonic() + seconds
    while True:
        run_due_jobs()
        if done():
            return
        assert time.monotonic() < deadline, "the jobs did not finish in time"
        time.sleep(0.3)


@contextlib.contextmanager
def worker_in_this_process() -> Iterator[None]:
    """On PostgreSQL: procrastinate's worker, the one `manage.py worker` runs, in a thread of
    this process until the block ends; then it finishes the jobs in hand and stops.

    It takes jobs from the real queue as soon as they are deferred (LISTEN/NOTIFY, row locks)
    and reads this process's settings, so a test's overrides (its SMTP server, its branding)
    hold for the jobs as well. Worker processes of their own are tests/queue's and
    tests/scale's. On SQLite the jobs already run in-process after each commit.
    """
    if settings.TASKS_IN_PROCESS:
        yield
        return
    # The jobs' threads close their database connections after each job (procrastinate's
    # Django middleware does, once they are this old), so none is left open on the test
    # database when the worker stops. Every wrapper shares this dict: the live server's
    # threads reconnect per request meanwhile, as with Django's default.
    database = connections.settings[DEFAULT_DB_ALIAS]
    saved_max_age, database["CONN_MAX_AGE"] = database["CONN_MAX_AGE"], 0
    # An app of its own with a worker connector; the site's app keeps deferring through
    # Django's connection, inside the caller's transaction.
    worker_app = app.with_connector(app.connector.get_worker_connector())
    loop = asyncio.new_event_loop()
    failures: list[BaseException] = []

    async def work() -> None:
        try:
            async with worker_app.open_async():
                await worker_app.run_worker_async(install_signal_handlers=False)
        finally:
            # The periodic job is deferred through the site's app, over Django's connection
            # in asgiref's one thread for such calls: close it there.
            await sync_to_async(connections.close_all, thread_sensitive=True)()

    running = loop.create_task(work())

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(running)
        except asyncio.CancelledError:
            pass  # how it is asked to stop
        except BaseException as error:
            failures.append(error)
        finally:
            loop.run_until_complete(loop.shutdown_default_executor())
            loop.close()

    thread = threading.Thread(target=run, name="worker-in-this-process", daemon=True)
    thread.start()
    try:
        yield
    finally:
        # Cancelling the worker's task is procrastinate's graceful stop: no new jobs, and
        # the ones running finish (a render is bounded by REPORT_RENDER_TIMEOUT).
        with contextlib.suppress(RuntimeError):  # the loop is closed: it stopped already
            loop.call_soon_threadsafe(running.cancel)
        thread.join(timeout=90)
        database["CONN_MAX_AGE"] = saved_max_age
    assert not thread.is_alive(), "the worker did not stop"
    if failures:
        raise failures[0]


def wait_until(done: Callable[[], object], *, what: str, seconds: float = 60) -> None:
    """Poll until done() holds, while the jobs run elsewhere (a worker, the web process)."""
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)
