"""The yearly check-up reminder on real PostgreSQL: two runs at once, and two real workers with
the periodic job, send each due reminder exactly once (tests/queue/test_workers.py's stack:
a migrated database of its own, separate processes)."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.queue.test_workers import stack, wait_for  # noqa: F401 (stack: a fixture)
from tests.smtp_server import LoopbackSmtp

# A database and processes of its own: run once, in `make test` (Makefile).
pytestmark = pytest.mark.standalone

# Opted-in submissions a year and a day old whose reminders are due, stored without jobs.
DUE = """
from datetime import timedelta
from django.utils import timezone
from advisor.advice.engine import advise
from advisor.models import CheckupReminder, Submission
from advisor.privacy.consent import PRIVACY_STATEMENT_VERSION
from advisor.privacy.services import months_before
from advisor.questionnaire.checkup import opt_in
past = months_before(timezone.now(), 12) - timedelta(days=1)
for i in range({count}):
    submission = Submission.from_advice(
        advise({{"team_size": "6_15"}}).as_dict(), language="nl", created_at=past,
        consent_version=PRIVACY_STATEMENT_VERSION,
        contact={{"name": "Eva", "company": "Jansen", "email": f"eva{{i}}@jansen.example"}})
    submission.save()
    opt_in(submission=submission)
print(CheckupReminder.objects.filter(due_at__lte=timezone.now()).count())
"""
# One run of the job's work, started when the file `go` appears (so two start together);
# prints the ids of the reminders it queued.
RUN = """
import os, time
from advisor.models import OutgoingMail
from advisor.questionnaire import checkup

queued = []
original = checkup._send
def recording(*, reminder_id, now):
    sent = original(reminder_id=reminder_id, now=now)
    if sent:
        queued.append(reminder_id)
    return sent
checkup._send = recording
while not os.path.exists({go!r}):
    time.sleep(0.01)
checkup.queue_due_reminders()
print(" ".join(map(str, queued)))
"""


def test_two_runs_at_once_queue_each_due_reminder_exactly_once(stack, tmp_path):  # noqa: F811
    count = 150
    assert stack.run(DUE.format(count=count)) == str(count)
    go = tmp_path / "go"
    with ThreadPoolExecutor(max_workers=2) as pool:  # two processes, each with a connection
        runs = [pool.submit(stack.run, RUN.format(go=str(go))) for _ in range(2)]
        time.sleep(5)  # both have set Django up and wait for the signal
        go.write_text("go")
        first, second = (set(map(int, run.result().split())) for run in runs)
    assert first and second, "both runs claimed reminders, so they really ran side by side"
    assert not first & second
    assert len(first | second) == count
    assert stack.query("SELECT count(*), count(DISTINCT submission_id) FROM advisor_outgoingmail "
                       "WHERE kind = 'checkup'") == [(count, count)]
    assert stack.query("SELECT count(*) FROM advisor_checkupreminder "
                       "WHERE sent_at IS NULL") == [(0,)]


def test_two_workers_with_the_periodic_job_send_each_reminder_once(stack):  # noqa: F811
    smtp = LoopbackSmtp()
    smtp.start()
    env = {"DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
           "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp.port),
           "SITE_URL": "https://advies.example.nl",
           # Every second, so the job runs again and again while the test watches.
           "CHECKUP_REMINDER_CRON": "* * * * * *"}
    try:
        stack.run(DUE.format(count=3))
        stack.worker(**env)
        stack.worker(**env)
        wait_for(lambda: len(smtp.messages) >= 3, what="three reminders", seconds=90)
        time.sleep(5)  # five more runs of the periodic job, on two workers
    finally:
        smtp.stop()
    assert sorted(str(m["To"]) for m in smtp.messages) == [
        "eva0@jansen.example", "eva1@jansen.example", "eva2@jansen.example"]
    for message in smtp.messages:
        assert message["List-Unsubscribe"].startswith("<https://advies.example.nl/controle/")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert stack.query("SELECT count(*) FROM advisor_outgoingmail WHERE kind = 'checkup' "
                       "AND status = 'sent'") == [(3,)]
