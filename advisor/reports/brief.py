"""The consultant brief: a one-to-two page PDF to prepare the follow-up call with a lead.

For the consultant only, never for the visitor: the verdict and its strongest reasons, the
sector's requirements, the current set-up, the plan with an estimated monthly cost, the
visitor's question and talking points. Which answers it lists, and the talking points, come
from the table (``Question.brief`` and ``TALKING_POINTS`` in advisor/advice/table.py).
"""

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language

from advisor.advice import table as q
from advisor.advice.engine import Advice, holds
from advisor.advice.labels import answer_label
from advisor.consultant.branding import get_branding
from advisor.consultant.pricing import estimate_monthly_cost, get_price_table
from advisor.models import Submission
from advisor.reports.domain import domain_talking_points
from advisor.reports.pdf import logo_source, render_pdf
from advisor.reports.report import FILENAME_SUFFIX, report_filename, report_reference

BRIEF_TEMPLATE = "report/brief.html"
STRONGEST_REASONS = 3


def talking_points(submission: Submission, advice: Advice) -> list[Promise]:
    facts = {
        **submission.answers,
        q.VERDICT: advice.verdict,
        q.CLEAR: "yes" if advice.clear else "no",
        q.HAS_QUESTION: "yes" if submission.question.strip() else "no",
    }
    return [point.text for point in q.TALKING_POINTS if holds(point.condition, facts)]


def brief_answers(submission: Submission, section: str) -> list[dict[str, Any]]:
    """Question and answer labels of the questions the table puts in this brief section."""
    return [
        {"question": question.label,
         "answer": answer_label(key, submission.answers.get(key, question.default))}
        for key, question in q.QUESTIONS.items()
        if question.brief == section
    ]


def brief_context(submission: Submission) -> dict[str, Any]:
    advice = Advice.from_dict(submission.advice)
    branding = get_branding()
    prices = get_price_table()
    cost = estimate_monthly_cost(plan=advice.plan, team_size=submission.team_size, table=prices)
    return {
        "submission": submission,
        "advice": advice,
        "reference": report_reference(submission),
        "branding": branding,
        "strongest_reasons": [
            {"reason": reason, "towards": q.OPTION_NAMES[reason.towards]}
            for reason in advice.reasons[:STRONGEST_REASONS]
        ],
        "requirements": brief_answers(submission, q.BRIEF_REQUIREMENTS),
        "measures": advice.security_measures,
        # Each norm once, in the order the measures name them.
        "norms": list(dict.fromkeys(
            norm for measure in advice.security_measures for norm in measure.norm_labels
        )),
        "situation": brief_answers(submission, q.BRIEF_SITUATION),
        "team": brief_answers(submission, q.BRIEF_TEAM),
        "plan": advice.plan_info,
        "cost": cost,
        "prices_as_of": prices.as_of,
        # The domain check's points first: they are about the lead's own domain, today.
        "talking_points": [*domain_talking_points(submission),
                           *talking_points(submission, advice)],
    }


def render_brief(submission: Submission, *, language: str | None = None) -> bytes:
    """The brief as PDF, in the consultant's language (the active one unless given)."""
    language = language or get_language()
    context = brief_context(submission)
    url, memory_files = logo_source(context["branding"])
    return render_pdf(template_name=BRIEF_TEMPLATE, context={**context, "logo_url": url},
                      language=language, memory_files=memory_files)


def brief_filename(submission: Submission) -> str:
    return report_filename(submission).replace(FILENAME_SUFFIX, "gespreksvoorbereiding", 1)
