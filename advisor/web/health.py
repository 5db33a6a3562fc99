"""/health/: can this process serve visitors? For a load balancer and for monitoring.

200 when the database answers, 503 when it does not. The mail outbox (advisor.OutgoingMail) is
reported beside it (queued, failed, age of the oldest queued mail) but never turns the answer
into 503: a stuck worker is a problem to fix, not a reason to take the whole site off the air.
"""

from datetime import timedelta
from typing import Any

from django.db import connection
from django.db.models import Min
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from advisor.models import MailStatus, OutgoingMail
from advisor.web.errors import DATABASE_ERRORS

# A queued mail older than this means no worker is running (or the SMTP server has been
# refusing for a long time: the mail's last error in the admin says which).
OUTBOX_STALLED_AFTER = timedelta(minutes=30)


def database_status() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DATABASE_ERRORS as error:
        # The class name only: a driver's message can name hosts and users.
        return {"status": "fail", "error": type(error).__name__}
    return {"status": "ok"}


def outbox_status() -> dict[str, Any]:
    try:
        waiting = OutgoingMail.objects.filter(status=MailStatus.QUEUED)
        figures = waiting.aggregate(oldest=Min("created_at"))
        queued = waiting.count()
        failed = OutgoingMail.objects.filter(status=MailStatus.FAILED).count()
    except DATABASE_ERRORS as error:
        return {"status": "fail", "error": type(error).__name__}
    oldest = figures["oldest"]
    age = int((timezone.now() - oldest).total_seconds()) if oldest else 0
    stalled = oldest is not None and timezone.now() - oldest > OUTBOX_STALLED_AFTER
    return {
        "status": "stalled" if stalled else "ok",
        "queued": queued,
        "failed": failed,
        "oldest_queued_seconds": age,
    }


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    database = database_status()
    outbox = outbox_status() if database["status"] == "ok" else {"status": "unknown"}
    healthy = database["status"] == "ok"
    body = {
        "status": "ok" if healthy else "fail",
        "database": database,
        "outbox": outbox,
    }
    return JsonResponse(body, status=200 if healthy else 503)
