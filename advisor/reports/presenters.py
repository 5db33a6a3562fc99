"""Ready-to-show values for the result page and the PDF report (one source for both)."""

import json
import sys
from functools import cache
from typing import Any
from urllib.parse import quote

from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from advisor.advice import engine, labels
from advisor.advice import table as q
from advisor.advice.engine import Advice
from advisor.consultant.branding import Branding
from advisor.lib.fragments import digest_of, module_digest
from advisor.models import Submission
from advisor.reports.domain import domain_check_context
from advisor.web.fragments import page_fragment

REPORT_BODY = "includes/_report_body.html"
# The partials of REPORT_BODY that show only the advice and the branding (no name, company,
# address or domain): the result page takes them from the cache.
REPORT_PARTS = ("summary", "advice", "comparison")

SCORE_CAPTION = _("Points per option, from your answers. More points means a better fit.")
# When a decisive rule sets the verdict, the bars only show how the other answers weigh.
SCORE_CAPTION_RULED = _("How your other answers weigh. The rule above decides the advice.")

FEATURE_MARKS = {
    q.YES: ("yes", _("Yes")),
    q.NO: ("no", _("No, not as standard")),
    q.DEPENDS: ("depends", _("Depends")),
}


def feature_rows() -> list[dict[str, Any]]:
    rows = []
    for feature in q.FEATURES:
        imap_css, imap_text = FEATURE_MARKS[feature.imap]
        m365_css, m365_text = FEATURE_MARKS[feature.m365]
        rows.append({
            "label": feature.label,
            "imap": {"css": imap_css, "text": feature.imap_note or imap_text},
            "m365": {"css": m365_css, "text": feature.m365_note or m365_text},
        })
    return rows


def answer_rows(answers: dict[str, str]) -> list[dict[str, Any]]:
    """The visitor's answers as question and answer labels, in table order."""
    return [
        {"question": question.label, "answer": question.choice(answers[question.key]).label}
        for question in q.QUESTIONS.values()
        if question.key in answers
    ]


def score_bars(advice: Advice) -> list[dict[str, Any]]:
    """The two scores as percentages of the larger, for a bar chart without JavaScript."""
    top = max(advice.scores.values()) or 1
    return [
        {
            "key": option,
            "label": advice_name,
            "score": advice.scores[option],
            "percent": round(100 * advice.scores[option] / top),
            "chosen": option == advice.verdict,
        }
        for option, advice_name in ((q.M365, q.OPTION_NAMES[q.M365]),
                                    (q.IMAP, q.OPTION_NAMES[q.IMAP]))
    ]


def result_context(submission: Submission) -> dict[str, Any]:
    advice = Advice.from_dict(submission.advice)
    notes = [note for note in q.NOTES if note.key in advice.notes]
    return {
        "submission": submission,
        "advice": advice,
        "reasons_m365": advice.reasons_for[q.M365],
        "reasons_imap": advice.reasons_for[q.IMAP],
        "score_bars": score_bars(advice),
        "score_caption": SCORE_CAPTION_RULED if advice.decisive_reason else SCORE_CAPTION,
        "current_setup_text": advice.current_setup_text,
        "features": feature_rows(),
        "answers": answer_rows(submission.answers),
        "plan": advice.plan_info,
        "measures": advice.security_measures,
        # Notes go with the verdict, or (the migration path) with the next steps.
        "summary_notes": [note.text for note in notes if not note.with_next_steps],
        "migration_note": next((note.text for note in notes if note.with_next_steps), None),
        "domain_check": domain_check_context(submission),
    }


def result_page_context(*, submission: Submission, branding: Branding) -> dict[str, Any]:
    """The report body's values for the result page: the advice's parts ready (report_parts)
    and what is personal or changes (the answers, the domain check) as values."""
    return {
        "submission": submission,
        "answers": answer_rows(submission.answers),
        "domain_check": domain_check_context(submission),
        "report_parts": report_parts(submission=submission, branding=branding),
    }


def report_parts(*, submission: Submission, branding: Branding) -> dict[str, SafeString]:
    """The advice's parts of the report body (REPORT_PARTS), rendered once per advice,
    language and branding (advisor/web/fragments.py), keyed also by the code that makes
    their values: a stored advice is shown with the table's texts as they are now."""
    # The same answers give the same advice: many visitors share these entries.
    advice = digest_of([json.dumps(submission.advice, sort_keys=True)])
    vary_on = ("report", advice, branding.fingerprint, _code_digest())
    context: dict[str, Any] = {}

    def built() -> dict[str, Any]:
        if not context:  # once, and only when a part is not in the cache
            context.update(result_context(submission), branding=branding)
        return context

    return {part: page_fragment(f"{REPORT_BODY}#{part}", {}, vary_on=(*vary_on, part),
                                context_of=built)
            for part in REPORT_PARTS}


@cache
def _code_modules() -> tuple[Any, ...]:
    return (q, engine, labels, sys.modules[__name__])


def _code_digest() -> str:
    return module_digest(*_code_modules())


def mailto_href(*, address: str, subject: str) -> str:
    """A mailto: link whose subject is percent-encoded once (the template escapes the &)."""
    return f"mailto:{quote(address, safe='@')}?subject={quote(subject, safe='')}"


def contact_actions(*, branding: Branding, company: str) -> list[dict[str, str]]:
    """What the consultant offers next to the advice: booking page, phone, e-mail."""
    subject = gettext("E-mail advice %(company)s") % {"company": company}
    actions = []
    if branding.booking_url:
        actions.append({"kind": "book", "href": branding.booking_url,
                        "label": gettext("Book an appointment")})
    if branding.phone:
        actions.append({"kind": "call", "href": f"tel:{branding.phone_href}",
                        "label": gettext("Call %(phone)s") % {"phone": branding.phone}})
    actions.append({"kind": "mail", "href": mailto_href(address=branding.email, subject=subject),
                    "label": gettext("E-mail %(address)s") % {"address": branding.email}})
    return actions
