"""Writing submissions: the one place a completed questionnaire becomes a stored lead."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from advisor.advice import advise
from advisor.models import Submission

# Bump when the privacy statement's text changes: consent records which text was accepted.
PRIVACY_STATEMENT_VERSION = "2026-11"


@transaction.atomic
def create_submission(
    *, answers: Mapping[str, str], contact: Mapping[str, Any], language: str
) -> Submission:
    """Compute the advice for the answers and store it with the contact details and consent."""
    advice = advise(answers)
    return Submission.objects.create(
        language=language,
        answers=dict(advice.answers),
        advice=advice.as_dict(),
        engine_version=advice.engine_version,
        verdict=advice.verdict,
        clear=advice.clear,
        plan=advice.plan,
        sector=advice.answers["sector"],
        team_size=advice.answers["team_size"],
        name=contact["name"],
        company=contact["company"],
        email=contact["email"],
        phone=contact.get("phone", ""),
        question=contact.get("question", ""),
        consent_at=timezone.now(),
        consent_version=PRIVACY_STATEMENT_VERSION,
    )
