"""The webhook's settings in the consultant's profile: on or off, which events, the address
and the signing secrets."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from advisor.models import ConsultantProfile, WebhookEvent
from advisor.webhooks.signing import new_secret

# A replaced secret still signs this long, so the CRM can be given the new one calmly.
PREVIOUS_SECRET_SIGNS_FOR = timedelta(hours=24)


@dataclass(frozen=True)
class WebhookConfig:
    enabled: bool
    url: str
    on_new_lead: bool
    on_status_change: bool
    secret: str
    previous_secret: str
    secret_changed_at: datetime | None

    @classmethod
    def of(cls, profile: ConsultantProfile) -> "WebhookConfig":
        return cls(enabled=profile.webhook_enabled, url=profile.webhook_url,
                   on_new_lead=profile.webhook_on_new_lead,
                   on_status_change=profile.webhook_on_status_change,
                   secret=profile.webhook_secret,
                   previous_secret=profile.webhook_previous_secret,
                   secret_changed_at=profile.webhook_secret_changed_at)

    def sends(self, event: str) -> bool:
        """Whether an event of this type goes out now. A test event only needs an address
        and a secret, so the consultant can try the CRM before switching the webhook on."""
        if not (self.url and self.secret):
            return False
        if event == WebhookEvent.TEST:
            return True
        wanted = {WebhookEvent.LEAD_CREATED: self.on_new_lead,
                  WebhookEvent.LEAD_STATUS_CHANGED: self.on_status_change}
        return self.enabled and wanted.get(event, False)

    def signing_secrets(self, *, now: datetime) -> list[str]:
        keys = [self.secret]
        changed = self.secret_changed_at
        if self.previous_secret and changed and now - changed < PREVIOUS_SECRET_SIGNS_FOR:
            keys.append(self.previous_secret)
        return keys


def current_config() -> WebhookConfig:
    return WebhookConfig.of(ConsultantProfile.load())


def crm_enabled() -> bool:
    """Whether leads go to the CRM now: the privacy statement then says so."""
    return ConsultantProfile.objects.filter(
        pk=ConsultantProfile.SINGLETON_ID, webhook_enabled=True).exists()


def ensure_secret(profile: ConsultantProfile) -> None:
    """Give a profile without a signing secret its first one (not saved here)."""
    if not profile.webhook_secret:
        profile.webhook_secret = new_secret()


def replace_secret(*, profile: ConsultantProfile) -> ConsultantProfile:
    """The profile's "new secret": a fresh secret signs from now on, the previous one as well
    for PREVIOUS_SECRET_SIGNS_FOR, so deliveries keep verifying while the CRM is updated."""
    with transaction.atomic():
        profile = ConsultantProfile.objects.select_for_update().get(pk=profile.pk)
        profile.webhook_previous_secret = profile.webhook_secret
        profile.webhook_secret = new_secret()
        profile.webhook_secret_changed_at = timezone.now()
        profile.save(update_fields=["webhook_secret", "webhook_previous_secret",
                                    "webhook_secret_changed_at", "updated_at"])
    return profile
