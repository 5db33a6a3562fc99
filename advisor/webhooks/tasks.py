"""The webhook job. Defer it with ``advisor.webhooks.events.schedule_delivery`` (on commit)."""

from procrastinate import JobContext
from procrastinate.contrib.django import app

from advisor.webhooks.delivery import WebhookRetry, deliver

WEBHOOK_QUEUE = "webhooks"


@app.task(queue=WEBHOOK_QUEUE, pass_context=True, retry=WebhookRetry())
def deliver_webhook(context: JobContext, delivery_id: int) -> str:
    """Post one WebhookDelivery to the CRM; its queueing lock is ``webhook-<id>``."""
    assert context.job is not None
    return deliver(delivery_id=delivery_id, retries_done=context.job.attempts)
