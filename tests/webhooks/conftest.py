"""A real HTTPS receiver on loopback for the webhook tests, and a profile that posts to it."""

from collections.abc import Iterator

import pytest

from advisor.models import ConsultantProfile
from advisor.webhooks.signing import new_secret
from tests.webhook_receiver import LoopbackReceiver, throwaway_ca


@pytest.fixture(scope="session")
def webhook_ca(tmp_path_factory):
    return throwaway_ca(tmp_path_factory.mktemp("webhook-ca"))


@pytest.fixture
def receiver(settings, webhook_ca) -> Iterator[LoopbackReceiver]:
    """Up and answering 200 until a test says otherwise. The site may post to loopback here
    (production refuses it), trusts the throwaway CA, and retries after half a second, then
    one, two ... seconds (thirty seconds, then minutes, in production)."""
    ca, pem = webhook_ca
    settings.WEBHOOK_ALLOW_LOCAL = True
    settings.WEBHOOK_CA_BUNDLE = str(pem)
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0.5
    settings.WEBHOOK_TIMEOUT = 5
    server = LoopbackReceiver(ca).start()
    yield server
    server.close()


def connect_crm(receiver: LoopbackReceiver, **fields) -> ConsultantProfile:
    """The consultant's saved profile with the webhook on, posting to the receiver, whose
    secret the receiver knows."""
    profile = ConsultantProfile.from_settings()
    profile.pk = ConsultantProfile.SINGLETON_ID
    profile.webhook_enabled = True
    profile.webhook_url = receiver.url
    profile.webhook_secret = new_secret()
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    receiver.secrets = [profile.webhook_secret]
    return profile


@pytest.fixture
def crm(receiver) -> ConsultantProfile:
    return connect_crm(receiver)
