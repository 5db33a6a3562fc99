"""Writing webhook events: a WebhookDelivery row in the transaction of what it is about, and
its ``deliver_webhook`` job deferred when that transaction commits.

A lead is only sent to the CRM when the privacy statement the visitor agreed to said so: its
version then carries CONSENT_MARK (advisor/privacy/consent.py). A lead that came in before
the webhook was switched on stays out of the CRM, status changes included.
"""

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from advisor.models import Submission, WebhookDelivery, WebhookEvent, WebhookStatus
from advisor.queue.jobs import defer_on_commit
from advisor.webhooks.payload import as_body, build_payload, example_lead
from advisor.webhooks.profile import current_config
from advisor.webhooks.signing import new_webhook_id

logger = logging.getLogger(__name__)

# Appended to the privacy statement's version while the statement names the CRM.
CONSENT_MARK = "+crm"


def told_about_crm(submission: Submission) -> bool:
    """Whether the statement this lead agreed to said its details go to the CRM."""
    return submission.consent_version.endswith(CONSENT_MARK)


def queue_lead_created(*, submission: Submission) -> WebhookDelivery | None:
    """``lead.created`` for a new lead, when the consultant has it switched on."""
    return _queue_about(submission, event=WebhookEvent.LEAD_CREATED)


def queue_status_changed(*, submission: Submission, old_status: str) -> WebhookDelivery | None:
    """``lead.status_changed`` after the consultant changed a lead's follow-up status (the
    submission holds the new one)."""
    if old_status == submission.status:
        return None
    return _queue_about(submission, event=WebhookEvent.LEAD_STATUS_CHANGED,
                        old_status=old_status)


def queue_test_event() -> WebhookDelivery | None:
    """``webhook.test`` with a made-up lead, so the consultant can see the CRM receive one
    (and map its fields) without a real lead. None without an address."""
    if not current_config().sends(WebhookEvent.TEST):
        return None
    now = timezone.now()
    payload = build_payload(event=WebhookEvent.TEST, submission=example_lead(at=now), at=now)
    return _write(event=WebhookEvent.TEST, submission=None, body=as_body(payload), at=now)


def _queue_about(submission: Submission, *, event: str,
                 old_status: str | None = None) -> WebhookDelivery | None:
    if not current_config().sends(event) or not told_about_crm(submission):
        return None
    now = timezone.now()
    payload = build_payload(event=event, submission=submission, at=now, old_status=old_status)
    return _write(event=event, submission=submission, body=as_body(payload), at=now)


def _write(*, event: str, submission: Submission | None, body: str,
           at: datetime) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.create(
        submission=submission, event=event, webhook_id=new_webhook_id(), body=body,
        created_at=at,
    )
    schedule_delivery(delivery=delivery)
    return delivery


def schedule_delivery(*, delivery: WebhookDelivery) -> None:
    """Defer ``deliver_webhook`` for this delivery once the current transaction commits."""
    from advisor.webhooks.tasks import deliver_webhook

    defer_on_commit(deliver_webhook, queueing_lock=f"webhook-{delivery.pk}",
                    delivery_id=delivery.pk)


def may_send_again(delivery: WebhookDelivery, *, now: datetime) -> bool:
    """Not while a retry is already planned: that one goes first. A delivery that waits
    without a planned retry (its job was lost, say, with an in-process queue) may."""
    return not (delivery.status == WebhookStatus.PENDING and delivery.next_attempt_at
                and delivery.next_attempt_at > now)


def send_again(*, delivery: WebhookDelivery) -> bool:
    """The back office's "send again": one more round of attempts of the same event, with
    the same webhook-id and body (a receiver that already has it ignores it, as Standard
    Webhooks asks). False, and nothing queued, while a retry is planned (or it is gone)."""
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().filter(pk=delivery.pk).first()
        if delivery is None or not may_send_again(delivery, now=timezone.now()):
            return False
        delivery.status, delivery.next_attempt_at = WebhookStatus.PENDING, None
        delivery.save(update_fields=["status", "next_attempt_at"])
        schedule_delivery(delivery=delivery)
    logger.info("Webhook delivery %s queued again", delivery.pk)
    return True
