"""At most MAILS_PER_ADDRESS_PER_DAY mails to one address in 24 hours, whoever asks: proved
over a real SMTP server, and on PostgreSQL with two requests racing for the last place."""

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.test import Client

from advisor.models import MailKind, OutgoingMail, Submission
from tests.conftest import CONTACT, complete_questionnaire
from tests.jobs import run_due_jobs
from tests.smtp_server import LoopbackSmtp, loopback_smtp

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
VICTIM = "slachtoffer@doelwit.example"


@pytest.fixture
def smtp(settings) -> Iterator[LoopbackSmtp]:
    yield from loopback_smtp(settings)


@pytest.mark.django_db(transaction=True)
def test_a_bot_that_types_someones_address_ten_times_reaches_them_three_times(smtp, settings):
    settings.CONSULTANT_EMAIL = "sanne@devries-it.example"
    smtp.start()
    for n in range(10):
        # Ten clients, so the per-IP limit does not stop it: only the address limit does.
        bot = Client(REMOTE_ADDR=f"203.0.113.{n + 1}")
        response = complete_questionnaire(bot, contact={
            **CONTACT, "email": VICTIM, "company": "Koop pillen op pillen.example"})
        assert response.status_code == 302
    run_due_jobs()

    assert Submission.objects.count() == 10  # every lead is kept
    to_victim = smtp.to(VICTIM)
    assert len(to_victim) == 3
    for message in to_victim:
        assert "pillen" not in message.as_string()
    # The consultant's notifications are not limited: the consultant hears of all ten.
    assert len(smtp.to("sanne@devries-it.example")) == 10
    assert OutgoingMail.objects.filter(kind=MailKind.ADVICE).count() == 3


@pytest.fixture(scope="module")
def postgres() -> Iterator[dict[str, str]]:
    """A migrated PostgreSQL database of its own, and the environment to use it."""
    name = f"keuzehulp_limits_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    env.update(DATABASE_URL=f"{POSTGRES}/{name}", DJANGO_SETTINGS_MODULE="config.settings",
               DJANGO_LOG_LEVEL="WARNING", MAILS_PER_ADDRESS_PER_DAY="3",
               DOMAIN_CHECK_NAMESERVERS="127.0.0.1:9", DOMAIN_CHECK_BUDGET="0.5")
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env,
                       check=True, timeout=180)
        yield env
    finally:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def race(env: dict[str, str], scenario: str) -> list[str]:
    result = subprocess.run([sys.executable, "-m", "tests.outbox.race", scenario], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def query(env: dict[str, str], sql: str) -> list[tuple]:
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        return conn.execute(sql).fetchall()


@pytest.mark.standalone
def test_two_shares_at_once_cannot_both_take_an_addresss_last_place(postgres, tmp_path):
    assert race(postgres, "one address, two reports") == ["address limit", "sent"]
    assert query(postgres, "SELECT count(*) FROM advisor_outgoingmail "
                           "WHERE recipient_key = 'jan@doelwit.example'") == [(3,)]

    # A real worker delivers what the outbox holds: three mails reach the colleague.
    smtp = LoopbackSmtp()
    smtp.start()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--concurrency", "1"], cwd=ROOT,
        env={**postgres, "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
             "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp.port)},
        stdout=subprocess.DEVNULL, stderr=(tmp_path / "worker.log").open("w"))
    try:
        deadline = time.monotonic() + 90
        while query(postgres, "SELECT count(*) FROM advisor_outgoingmail "
                              "WHERE status = 'queued'") != [(0,)]:
            assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
            time.sleep(0.3)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        smtp.stop()
    to_colleague = [m for m in smtp.messages
                    if str(m["To"]).lower().replace("+pim", "") == "jan@doelwit.example"]
    assert len(to_colleague) == 3


@pytest.mark.standalone
def test_two_shares_of_one_report_at_once_reach_one_colleague(postgres):
    assert race(postgres, "one report, two colleagues") == ["colleague_already", "sent"]
    assert query(postgres, "SELECT count(*) FROM advisor_outgoingmail "
                           "WHERE kind = 'share_colleague' AND recipient_key IN "
                           "('sam@doelwit.example', 'piet@doelwit.example')") == [(1,)]
