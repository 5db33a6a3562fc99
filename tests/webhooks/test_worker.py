"""The CRM webhook with real `manage.py worker` processes on real PostgreSQL, as in
production: a receiver that is down gets the lead once it is back, and a worker killed in
the middle of a post loses nothing (the receiver then sees the same webhook-id twice and
processes it once)."""

import signal

import pytest

from advisor.webhooks.signing import new_secret
from tests.queue import test_workers
from tests.queue.test_workers import SUBMIT, jobs_left, wait_for
from tests.webhook_receiver import Answer, LoopbackReceiver

# A migrated PostgreSQL database of its own, and workers on it (tests/queue/test_workers.py).
stack = test_workers.stack
# A database and processes of its own: run once, in `make test` (Makefile).
pytestmark = pytest.mark.standalone

CONNECT = """
from advisor.models import ConsultantProfile

profile = ConsultantProfile.from_settings()
profile.pk = ConsultantProfile.SINGLETON_ID
profile.webhook_enabled, profile.webhook_url, profile.webhook_secret = True, {url!r}, {secret!r}
profile.save()
"""


@pytest.fixture
def crm(webhook_ca):
    ca, _pem = webhook_ca
    receiver = LoopbackReceiver(ca)
    receiver.secrets = [new_secret()]
    yield receiver
    receiver.close()


def worker_env(webhook_ca, **extra: str) -> dict[str, str]:
    # Loopback is allowed here only because these workers run with DEBUG on (development).
    return {"DJANGO_SETTINGS_MODULE": "tests.webhooks.worker_settings",
            "WEBHOOK_ALLOW_LOCAL": "true", "WEBHOOK_CA_BUNDLE": str(webhook_ca[1]), **extra}


def delivery(database) -> tuple:
    rows = database.query("SELECT status, attempts, last_error, webhook_id "
                       "FROM advisor_webhookdelivery")
    return rows[0] if rows else (None, 0, "", "")


def test_a_real_worker_delivers_the_lead_to_a_crm_that_was_down_once_it_is_back(
    stack, crm, webhook_ca
):
    env = worker_env(webhook_ca)
    stack.run(CONNECT.format(url=crm.url, secret=crm.secrets[0]), **env)
    stack.run(SUBMIT, **env)
    assert crm.refuses_connections()
    stack.worker(**env)
    wait_for(lambda: delivery(stack)[1] >= 1, what="the first attempt", seconds=120)
    status, _attempts, error, _id = delivery(stack)
    assert (status, error) == ("pending", "ConnectError")

    crm.start()
    wait_for(lambda: delivery(stack)[0] == "delivered", what="the delivery", seconds=120)
    [payload] = crm.processed.values()
    assert payload["type"] == "lead.created"
    assert payload["data"]["lead"]["company"] == "Jansen Advocaten"
    assert all(request.verified for request in crm.received)
    assert set(crm.ids()) == {delivery(stack)[3]}


def test_a_worker_killed_mid_post_loses_nothing_and_the_crm_processes_the_lead_once(
    stack, crm, webhook_ca
):
    env = worker_env(webhook_ca, WEBHOOK_TIMEOUT="120")
    crm.answer_with(Answer(status=200, delay=60))  # takes the first post, answers late
    crm.start()
    stack.run(CONNECT.format(url=crm.url, secret=crm.secrets[0]), **env)
    stack.run(SUBMIT, **env)
    doomed = stack.worker(**env)
    wait_for(lambda: crm.received, what="the first post to arrive", seconds=120)
    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=10)
    assert delivery(stack)[:2] == ("pending", 0)  # its transaction died with it

    stack.worker(**env)
    wait_for(lambda: delivery(stack)[0] == "delivered", what="the second worker's post",
             seconds=120)
    wait_for(lambda: not jobs_left(stack), what="the queue to empty", seconds=120)
    _status, attempts, _error, webhook_id = delivery(stack)
    assert crm.ids() == [webhook_id, webhook_id]
    assert list(crm.processed) == [webhook_id]
    assert attempts == 1
