"""The mail job. Defer it with ``advisor.outbox.mail.schedule_delivery`` (on commit)."""

from procrastinate import JobContext
from procrastinate.contrib.django import app

from advisor.outbox.delivery import MailRetry, deliver, is_final_attempt

MAIL_QUEUE = "mail"


@app.task(queue=MAIL_QUEUE, pass_context=True, retry=MailRetry())
def deliver_mail(context: JobContext, mail_id: int) -> str:
    """Deliver one OutgoingMail; its queueing lock is ``mail-<id>``."""
    assert context.job is not None
    return deliver(mail_id=mail_id, final_attempt=is_final_attempt(context.job))
