"""What a webhook says: a Standard Webhooks payload (``type``, ``timestamp``, ``data``) about
one lead, with its answers and advice as labels in Dutch, the consultant's language.

The payload is made when the event happens and stored as the exact body that is posted, so
every retry says the same, whenever it arrives (README "CRM webhook" shows an example).
"""

import json
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from advisor.advice import labels
from advisor.advice import table as q
from advisor.advice.engine import Advice, advise
from advisor.models import FollowUpStatus, Submission


def iso(moment: datetime) -> str:
    """A moment as ISO 8601 in UTC, to the second: 2026-12-01T09:30:00Z."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def back_office_url(name: str, *args: Any) -> str:
    # Staff only, behind the login: never the visitor's report token.
    return f"{settings.SITE_URL}{reverse(name, args=args)}"


def status_label(status: str) -> str:
    return str(dict(FollowUpStatus.choices).get(status, status))


def _lead(submission: Submission) -> dict[str, Any]:
    if submission.pk is None:  # the example lead of a test event
        url = report_url = back_office_url("admin:advisor_submission_changelist")
    else:
        url = back_office_url("admin:advisor_submission_change", submission.pk)
        report_url = back_office_url("admin:advisor_submission_report", submission.pk)
    return {
        "id": submission.pk,
        "company": submission.company,
        "name": submission.name,
        "email": submission.email,
        "phone": submission.phone,
        "question": submission.question,
        "language": submission.language,
        "submitted_at": iso(submission.created_at),
        "status": submission.status,
        "status_label": status_label(submission.status),
        "url": url,
        "report_url": report_url,
        # Where the visit came from (advisor/funnel/sources.py), empty strings when unknown.
        "source": {"utm_source": submission.utm_source, "utm_medium": submission.utm_medium,
                   "utm_campaign": submission.utm_campaign,
                   "referrer_host": submission.referrer_host},
        # The lead a yearly check-up continues (its own lead.id), or null.
        "previous_id": submission.previous_id,
    }


def _answers(answers: dict[str, str]) -> list[dict[str, str]]:
    # In the order of the questionnaire; a key an older table had comes last, as itself.
    order = {key: index for index, key in enumerate(q.QUESTIONS)}
    return [
        {"question_key": key, "question": str(labels.question_label(key)),
         "answer_key": value, "answer": str(labels.answer_label(key, value))}
        for key, value in sorted(answers.items(), key=lambda item: order.get(item[0], len(order)))
    ]


def _advice(stored: dict[str, Any]) -> dict[str, Any]:
    advice = Advice.from_dict(stored)
    return {
        "verdict": advice.verdict,
        "verdict_label": str(labels.verdict_label(advice.verdict)),
        "clear": advice.clear,
        "headline": str(advice.headline),
        "plan": advice.plan,
        "plan_label": str(labels.plan_label(advice.plan)),
        "measures": [{"key": measure.key, "title": str(measure.title)}
                     for measure in advice.security_measures],
    }


def build_payload(*, event: str, submission: Submission, at: datetime,
                  old_status: str | None = None) -> dict[str, Any]:
    """The payload of one event about one lead, its labels in the site's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        data: dict[str, Any] = {
            "lead": _lead(submission),
            "answers": _answers(submission.answers),
            "advice": _advice(submission.advice),
        }
        if old_status is not None:
            data["status_change"] = {
                "old": old_status, "old_label": status_label(old_status),
                "new": submission.status, "new_label": status_label(submission.status),
            }
    return {"type": event, "timestamp": iso(at), "data": data}


def as_body(payload: dict[str, Any]) -> str:
    """The JSON text that is posted and signed, in UTF-8 as it is (no \\u escapes)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


# The made-up lead of a test event: the shape of a real one, nobody's data.
EXAMPLE_CONTACT = {"name": "Voorbeeld Persoon", "company": "Voorbeeldbedrijf B.V.",
                   "email": "info@voorbeeld.example", "phone": "", "question": ""}


def example_lead(*, at: datetime) -> Submission:
    """An unsaved lead with the engine's advice for the default answers."""
    return Submission.from_advice(advise({}).as_dict(), contact=EXAMPLE_CONTACT,
                                  language=settings.LANGUAGE_CODE, consent_version="",
                                  created_at=at)
