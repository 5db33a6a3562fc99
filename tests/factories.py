"""Leads and back-office users for the back-office tests (admin, dashboard, brief, branding)."""

import time
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from advisor.advice.engine import advise
from advisor.models import Submission
from advisor.privacy.consent import PRIVACY_STATEMENT_VERSION
from advisor.web.middleware import STAFF_SESSION_SEEN, STAFF_SESSION_STARTED

PASSWORD = "correct horse battery staple 42"


def new_lead(*, answers: dict[str, str] | None = None, language: str = "nl",
             created_at: datetime | None = None, **fields: Any) -> Submission:
    """An unsaved lead with the advice of the real engine; ``fields`` override the rest."""
    contact = {"name": "Eva Jansen", "company": "Huisartsenpraktijk Jansen",
               "email": "eva@praktijkjansen.example", "phone": "06 12345678", "question": ""}
    contact.update({key: fields.pop(key) for key in list(fields) if key in contact})
    return Submission.from_advice(advise(answers or {}).as_dict(), contact=contact,
                                  language=language, consent_version=PRIVACY_STATEMENT_VERSION,
                                  created_at=created_at, **fields)


def make_lead(**fields: Any) -> Submission:
    lead = new_lead(**fields)
    lead.save()
    return lead


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


def stored_report(submission: Submission) -> bytes:
    """Run the report job's work for this submission (as a worker would) and read the file."""
    from advisor.reports.report import read_stored_report, store_report_of

    store_report_of(submission_id=submission.pk)
    submission.refresh_from_db()
    return read_stored_report(submission)
