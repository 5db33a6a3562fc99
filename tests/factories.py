"""Leads and back-office users for the back-office tests (admin, dashboard, brief, branding)."""

import time
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from advisor.advice.engine import advise
from advisor.models import Submission
from advisor.questionnaire.services import PRIVACY_STATEMENT_VERSION
from advisor.web.middleware import STAFF_SESSION_SEEN, STAFF_SESSION_STARTED

PASSWORD = "correct horse battery staple 42"


def lead_fields(*, answers: dict[str, str] | None = None, language: str = "nl",
                **fields: Any) -> dict[str, Any]:
    """Everything a stored submission holds, with the advice from the real engine."""
    advice = advise(answers or {})
    now = timezone.now()
    return {
        "language": language,
        "answers": dict(advice.answers),
        "advice": advice.as_dict(),
        "engine_version": advice.engine_version,
        "verdict": advice.verdict,
        "clear": advice.clear,
        "plan": advice.plan,
        "sector": advice.answers["sector"],
        "team_size": advice.answers["team_size"],
        "name": "Eva Jansen",
        "company": "Huisartsenpraktijk Jansen",
        "email": "eva@praktijkjansen.example",
        "phone": "06 12345678",
        "question": "",
        "consent_at": now,
        "consent_version": PRIVACY_STATEMENT_VERSION,
        "link_expires_at": now + timedelta(days=90),
        **fields,
    }


def make_lead(*, answers: dict[str, str] | None = None, created_at: datetime | None = None,
              **fields: Any) -> Submission:
    values = lead_fields(answers=answers, **fields)
    if created_at is not None:
        values["created_at"] = created_at
    return Submission.objects.create(**values)


def make_staff(username: str = "sanne", *, superuser: bool = True, staff: bool = True) -> User:
    return User.objects.create_user(username, f"{username}@consultant.example", PASSWORD,
                                    is_staff=staff, is_superuser=superuser)


def verified_client(user: User) -> Client:
    """Logged in AND verified with an authenticator app, as after a full 2FA login."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    # As the first page after the login leaves it (StaffSessionMiddleware).
    session[STAFF_SESSION_STARTED] = session[STAFF_SESSION_SEEN] = time.time()
    session.set_expiry(0)
    session.save()
    return client
