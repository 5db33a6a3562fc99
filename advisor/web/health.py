"""/health/: can this process serve visitors? For a load balancer and for monitoring.

200 when the database answers, 503 when it does not. Anyone gets just {"status": ...}; the
details (database, the mail outbox (advisor.OutgoingMail): queued, failed, age of the oldest
queued mail) only go to verified staff or to monitoring that sends
`Authorization: Bearer <HEALTH_TOKEN>`: how much mail waits or failed is nobody else's
business. The outbox never turns the answer into 503: a stuck worker is a problem to fix, not
a reason to take the whole site off the air.
"""

import hmac
from datetime import timedelta
from typing import Any

from django.conf import settings
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


def may_see_details(request: HttpRequest) -> bool:
    """Staff with a verified second factor, or a request with the configured HEALTH_TOKEN."""
    expected = settings.HEALTH_TOKEN
    sent = request.headers.get("Authorization", "")
    if expected and hmac.compare_digest(sent.encode(), f"Bearer {expected}".encode()):
        return True
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    # django-otp's middleware gives the user is_verified(): logged in with the second factor.
    is_verified = getattr(user, "is_verified", None)
    return not settings.ADMIN_REQUIRE_2FA or (callable(is_verified) and is_verified())


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    database = database_status()
    healthy = database["status"] == "ok"
    body: dict[str, Any] = {"status": "ok" if healthy else "fail"}
    if may_see_details(request):
        outbox = outbox_status() if healthy else {"status": "unknown"}
        body.update(database=database, outbox=outbox)
    return JsonResponse(body, status=200 if healthy else 503)
