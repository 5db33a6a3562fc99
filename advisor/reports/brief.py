"""The consultant brief: a one-to-two page PDF to prepare the follow-up call with a lead.

For the consultant only, never for the visitor: the verdict and its strongest reasons, the
sector's requirements, the current set-up, the plan with an estimated monthly cost, the
visitor's question and talking points. The talking points are a declarative table below.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from advisor.advice import table as q
from advisor.advice.engine import OPTION_NAMES, Advice, holds
from advisor.advice.labels import answer_label
from advisor.consultant.branding import get_branding
from advisor.consultant.pricing import estimate_monthly_cost, get_price_table
from advisor.models import Submission
from advisor.reports.pdf import logo_source, render_pdf
from advisor.reports.report import FILENAME_SUFFIX, report_filename, report_reference

BRIEF_TEMPLATE = "report/brief.html"
STRONGEST_REASONS = 3

# Besides the answers, a talking point's condition may read these derived keys.
VERDICT = "verdict"  # "imap" or "m365"
CLEAR = "clear"  # "yes" or "no" (a close call)
HAS_QUESTION = "has_question"  # "yes" when the visitor typed a question


@dataclass(frozen=True)
class TalkingPoint:
    key: str
    condition: q.Condition
    text: Promise


TALKING_POINTS: tuple[TalkingPoint, ...] = (
    TalkingPoint("question", q.when({HAS_QUESTION: "yes"}), _(
        "Start with their own question (above): it tells you what is on their mind."
    )),
    TalkingPoint("close_call", q.when({CLEAR: "no"}), _(
        "The advice is a close call. Ask what matters more to them, the lowest monthly cost or "
        "integration and security, and decide together."
    )),
    TalkingPoint("imposed", q.when({"sector_requirements": "yes"}), _(
        "Requirements are set for them. Ask for the exact wording (client contract, insurer, "
        "regulator), so the set-up can be shown to meet it."
    )),
    TalkingPoint("unsure_requirements", q.when({"sector_requirements": "unsure"}), _(
        "They do not know which security requirements apply. Ask about client contracts, their "
        "cyber insurance policy and the norms of their sector."
    )),
    TalkingPoint("regulated", q.when({"sector": q.REGULATED_SECTORS}), _(
        "Regulated sector: go through the norms in this brief and offer to record the security "
        "settings, so they can show them at an audit."
    )),
    TalkingPoint("pop", q.when({"current_setup": "pop"}), _(
        "They still use POP: their e-mail may live on one computer only. Plan the move to a "
        "server mailbox first, so nothing gets lost."
    )),
    TalkingPoint("google", q.when({"current_setup": "google"}), _(
        "They use Google Workspace now. Ask what they would miss, and plan moving mail, "
        "calendars and files."
    )),
    TalkingPoint("imap_to_m365", q.when({"current_setup": "imap", VERDICT: q.M365}), _(
        "They are on IMAP at a hosting provider: plan moving the mailboxes outside office hours "
        "and changing the domain's mail settings (DNS)."
    )),
    TalkingPoint("already_m365", q.when({"current_setup": "m365"}), _(
        "They already use Microsoft 365: check their current plan and security settings; a "
        "review or an upgrade may be enough."
    )),
    TalkingPoint("no_it_support", q.when({"it_support": "none"}), _(
        "Nobody looks after their IT: offer to set up and maintain it, for example with a "
        "support contract."
    )),
    TalkingPoint("it_partner", q.when({"it_support": "external"}), _(
        "They have an IT partner: find out who, and agree who sets up and manages what."
    )),
    TalkingPoint("cost_sensitive", q.when({"budget": "minimal", VERDICT: q.M365}), _(
        "Cost matters most to them: show the estimate below and explain what the extra cost "
        "buys them."
    )),
    TalkingPoint("growth", q.when({"growth": "strong"}), _(
        "They expect strong growth: explain how licences grow with the team, and choose a "
        "set-up that scales."
    )),
    TalkingPoint("shared_mailboxes", q.when({"shared_mailboxes": "many"}), _(
        "Several shared mailboxes: make a list of the addresses and who needs access to each."
    )),
    TalkingPoint("office_licences", q.when({"office_apps": "desktop"}), _(
        "They want Office installed: check the Office licences they already have, so they do "
        "not pay twice."
    )),
    TalkingPoint("large_team", q.when({"team_size": "51_plus"}), _(
        "More than 50 users: discuss managing their devices and moving in phases."
    )),
    TalkingPoint("next_step", q.ALWAYS, _(
        "Agree on the next step: a proposal, a demonstration or a start date."
    )),
)


def talking_points(submission: Submission, advice: Advice) -> list[Promise]:
    facts = {
        **submission.answers,
        VERDICT: advice.verdict,
        CLEAR: "yes" if advice.clear else "no",
        HAS_QUESTION: "yes" if submission.question.strip() else "no",
    }
    return [point.text for point in TALKING_POINTS if holds(point.condition, facts)]


def _answer(submission: Submission, key: str) -> dict[str, Any]:
    return {
        "question": q.QUESTIONS[key].label,
        "answer": answer_label(key, submission.answers.get(key, q.QUESTIONS[key].default)),
    }


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
            {"reason": reason, "towards": OPTION_NAMES[reason.towards]}
            for reason in advice.reasons[:STRONGEST_REASONS]
        ],
        "requirements": [
            _answer(submission, key)
            for key in ("sector", "sensitive_data", "sector_requirements", "security_importance")
        ],
        "measures": advice.security_measures,
        # Each norm once, in the order the measures name them.
        "norms": list(dict.fromkeys(
            norm for measure in advice.security_measures for norm in measure.norm_labels
        )),
        "situation": [
            _answer(submission, key)
            for key in ("current_setup", "it_support", "devices", "shared_mailboxes", "budget")
        ],
        "team": [_answer(submission, key) for key in ("team_size", "growth")],
        "plan": advice.plan_info,
        "cost": cost,
        "prices_as_of": prices.as_of,
        "talking_points": talking_points(submission, advice),
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
