"""Real workers on real PostgreSQL: several side by side, and one killed in the middle of a job.

Each test gets a database of its own (several test runs share this machine's PostgreSQL),
migrated by `manage.py migrate`; submissions are made and workers run as separate processes
(`manage.py worker`), exactly as in production.
"""

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from tests.postgres import copy_of
from tests.smtp_server import LoopbackSmtp

# Standalone: the same whatever DATABASE_URL says, so `make test-postgres` leaves it to
# `make test`.
pytestmark = pytest.mark.standalone

ROOT = Path(__file__).resolve().parents[2]
SUBMIT = """
from advisor.questionnaire.services import create_submission
submission = create_submission(answers={"team_size": "6_15", "sector": "legal"}, contact={
    "name": "Eva Jansen", "company": "Jansen Advocaten", "email": "eva@jansen.example",
    "phone": "", "question": ""}, language="nl")
print(submission.pk)
"""


@pytest.fixture
def stack(tmp_path, migrated_postgres):
    """An empty, migrated PostgreSQL database and the environment for processes using it."""
    with copy_of(migrated_postgres, label="workers") as database:
        yield from _stack(tmp_path, database)


def _stack(tmp_path, url: str):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    env.update(
        DATABASE_URL=url, DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_LOG_LEVEL="WARNING", DJANGO_SETTINGS_MODULE="config.settings",
        # Heartbeats every second; a worker silent for 3 s is stalled; look every 2 s.
        WORKER_HEARTBEAT_SECONDS="1", JOB_STALLED_AFTER="3", JOB_RECOVERY_CRON="* * * * * */2",
        SLOW_MARKER=str(tmp_path / "started"),
    )
    workers: list[subprocess.Popen] = []

    class Stack:
        database = url
        media = tmp_path / "media"
        marker = tmp_path / "started"

        def run(self, code: str, **extra: str) -> str:
            script = f"import django; django.setup()\n{code}"
            result = subprocess.run([sys.executable, "-c", script],
                                    cwd=ROOT, env={**env, **extra}, capture_output=True,
                                    text=True, timeout=120, check=True)
            return result.stdout.strip()

        def worker(self, **extra: str) -> subprocess.Popen:
            process = subprocess.Popen(
                [sys.executable, "manage.py", "worker", "--concurrency", "1"],
                cwd=ROOT, env={**env, **extra}, stdout=subprocess.DEVNULL,
                stderr=(tmp_path / f"worker-{len(workers)}.log").open("w"))
            workers.append(process)
            return process

        def query(self, sql: str) -> list[tuple]:
            with psycopg.connect(self.database) as conn:
                return conn.execute(sql).fetchall()

    try:
        yield Stack()
    finally:
        for process in workers:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()


def wait_for(condition, *, seconds: float = 60, what: str = "the condition") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def report_files(media: Path) -> list[Path]:
    return [path for path in (media / "reports").rglob("*.pdf")] if media.exists() else []


def jobs_left(stack) -> list[tuple]:
    return stack.query("SELECT task_name, status FROM procrastinate_jobs "
                       "WHERE status IN ('todo', 'doing')")


def test_a_worker_killed_mid_render_loses_nothing_and_another_renders_the_report_once(stack):
    smtp = LoopbackSmtp()
    smtp.start()
    try:
        submission = stack.run(SUBMIT, EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp.port))
        doomed = stack.worker(SLOW_PART="render", DJANGO_SETTINGS_MODULE="tests.queue.slow_worker",
                              DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                              EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp.port))
        wait_for(stack.marker.exists, what="the render to start")
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)
        assert stack.query("SELECT report_pdf FROM advisor_submission") == [("",)]

        stack.worker(DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                     EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp.port))
        wait_for(lambda: stack.query("SELECT report_pdf FROM advisor_submission")[0][0] != "",
                 what="the report to be stored by the second worker")
        wait_for(lambda: not jobs_left(stack), what="the queue to empty")
    finally:
        smtp.stop()
    [(stored,)] = stack.query(f"SELECT report_pdf FROM advisor_submission WHERE id={submission}")
    assert [path.relative_to(stack.media).as_posix() for path in report_files(stack.media)] == [
        stored]
    assert (stack.media / stored).read_bytes().startswith(b"%PDF")


class StallingSmtp(LoopbackSmtp):
    """Accepts mail, but the first time holds the RCPT answer for a long while."""

    def __init__(self, marker: Path) -> None:
        super().__init__()
        self.marker = marker
        self.stalled = False

    async def handle_RCPT(self, server, session, envelope, address, options):
        if not self.stalled and "eva@" in address:
            self.stalled = True
            self.marker.write_text("started")
            await asyncio.sleep(20)
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_a_worker_killed_mid_send_loses_no_mail_and_sends_it_once(stack):
    smtp = StallingSmtp(stack.marker)
    smtp.start()
    mail_env = {"DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp.port), "EMAIL_TIMEOUT": "60"}
    try:
        stack.run(SUBMIT)
        doomed = stack.worker(**mail_env)
        wait_for(stack.marker.exists, what="the send to start")
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)

        stack.worker(**mail_env)
        wait_for(lambda: stack.query("SELECT count(*) FROM advisor_outgoingmail "
                                     "WHERE status = 'sent'")[0][0] == 2,
                 what="both mails to be sent")
        wait_for(lambda: not jobs_left(stack), what="the queue to empty")
    finally:
        smtp.stop()
    assert len(smtp.to("eva@jansen.example")) == 1
    assert sum(smtp.received().values()) == 2  # the advice and the consultant's notification
    assert stack.query("SELECT attempts FROM advisor_outgoingmail WHERE kind = 'advice'") == [
        (1,)]


def test_two_workers_side_by_side_do_every_job_exactly_once(stack):
    smtp = LoopbackSmtp()
    smtp.start()
    mail_env = {"DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp.port)}
    try:
        for n in range(4):  # four visitors (one address gets at most three mails a day)
            stack.run(SUBMIT.replace("eva@jansen.example", f"eva{n}@jansen.example"))
        stack.worker(**mail_env)
        stack.worker(**mail_env)
        wait_for(lambda: stack.query("SELECT count(*) FROM advisor_submission "
                                     "WHERE report_pdf <> ''")[0][0] == 4,
                 what="four reports", seconds=120)
        wait_for(lambda: not jobs_left(stack), what="the queue to empty")
    finally:
        smtp.stop()
    assert sum(smtp.received().values()) == 8  # 4 advice mails, 4 notifications
    assert len(report_files(stack.media)) == 4
    assert stack.query("SELECT count(*) FROM advisor_outgoingmail WHERE status = 'sent'") == [
        (8,)]


def test_a_second_defer_of_a_waiting_job_is_refused_by_its_queueing_lock(stack):
    code = (
        "from advisor.models import Submission\n"
        "from advisor.queue.jobs import defer_now\n"
        "from advisor.reports.tasks import store_report\n"
        "pk = Submission.objects.get().pk\n"
        "print(defer_now(store_report, queueing_lock=f'report-{pk}', submission_id=pk))\n"
    )
    stack.run(SUBMIT)  # queues the render once, on commit
    assert stack.run(code) == "False"
    assert stack.query("SELECT count(*) FROM procrastinate_jobs "
                       "WHERE task_name = 'advisor.reports.tasks.store_report'") == [(1,)]


ERASE = """
from advisor.privacy.services import erase_personal_data
print(erase_personal_data(email="eva@jansen.example").submissions)
"""


def test_an_erasure_during_a_workers_render_leaves_no_pdf_behind(stack):
    stack.run(SUBMIT)
    stack.worker(SLOW_PART="render until erased",
                 DJANGO_SETTINGS_MODULE="tests.queue.slow_worker")
    wait_for(stack.marker.exists, what="the render to start")
    assert stack.run(ERASE) == "1"
    stack.marker.with_name("erased").write_text("done")
    wait_for(lambda: not jobs_left(stack), what="the render job to end")
    # The render finished after the erasure: its file was deleted, nothing else is left.
    assert report_files(stack.media) == []
    assert stack.query("SELECT count(*) FROM advisor_submission") == [(0,)]


class RefusingSmtp(LoopbackSmtp):
    """Refuses every recipient with the given SMTP code."""

    def __init__(self, code: int) -> None:
        super().__init__()
        self.code = code

    async def handle_RCPT(self, server, session, envelope, address, options):
        return f"{self.code} 5.1.1 <{address}>: no such user here"


@pytest.mark.parametrize("code", [550, 450])
def test_a_worker_whose_mail_is_refused_logs_no_address(stack, tmp_path, code):
    smtp = RefusingSmtp(code)
    smtp.start()
    try:
        stack.run(SUBMIT)
        stack.worker(DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                     EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp.port), DJANGO_LOG_LEVEL="INFO")
        wait_for(lambda: stack.query("SELECT count(*) FROM advisor_outgoingmail WHERE "
                                     f"last_error = 'SMTPRecipientsRefused {code}'")[0][0] == 2,
                 what="both mails to be refused")
    finally:
        smtp.stop()
    logged = (tmp_path / "worker-0.log").read_text()
    assert f"SMTPRecipientsRefused {code}" in logged  # the worker did log the refusal...
    assert "eva@jansen.example" not in logged  # ...without the address
    assert "jansen" not in logged
