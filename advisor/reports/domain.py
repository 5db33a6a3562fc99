"""The stored domain check as ready-to-show values: result page, PDF, brief and back office.

The check and its texts live in advisor/domaincheck; this module only decides what a reader
of the advice sees of it, and what the consultant can say about it.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from advisor.advice.labels import answer_label
from advisor.domaincheck import DomainReport
from advisor.domaincheck.findings import (
    AT_RISK,
    CHECKS,
    GOOD,
    IMPROVE,
    INFO,
    LEVEL_GOOD,
    PUBLIC_PROVIDER,
    STATUS_LABELS,
)
from advisor.models import DomainCheckState, Submission

# The level of a checked domain in words, for the visitor.
LEVEL_TEXTS: dict[str, Promise] = {
    LEVEL_GOOD: _("Your domain is well protected against forged e-mail. Keep it that way."),
    IMPROVE: _("Your domain is fairly well protected, but some things can be better."),
    AT_RISK: _("Your domain is poorly protected: others can fairly easily send e-mail that "
               "seems to come from you."),
}
PENDING_TEXT = _("We are looking up the domain of your e-mail address. This page shows the "
                 "result in a moment.")
FAILED_TEXT = _("We could not check the domain of your e-mail address this time. The "
                "consultant can run the check again.")
NO_DOMAIN_TEXT = _("Your e-mail address has no public domain name we can check.")
INCOMPLETE_TEXT = _("Not every look-up got an answer in time; what is marked \"Unknown\" could "
                    "not be checked.")


@dataclass(frozen=True)
class SetupNote:
    """A friendly note when where the domain's mail goes contradicts the visitor's answer
    to "what do you use now" (``current_setup``)."""

    provider: str  # the report's provider key
    answers: frozenset[str]  # current_setup answers it contradicts
    text: Promise  # with %(provider)s and %(answer)s


SETUP_NOTES = (
    SetupNote("microsoft_365", frozenset({"none", "pop", "imap", "google", "other"}), _(
        "Good to know: the mail of your domain already arrives at Microsoft 365, while you "
        "told us you use \"%(answer)s\". Perhaps someone set it up for you, or part of your "
        "mail already runs there. Worth checking before you choose: it can make the step "
        "easier.")),
    SetupNote("google_workspace", frozenset({"none", "pop", "imap", "m365", "other"}), _(
        "Good to know: the mail of your domain arrives at Google Workspace, while you told us "
        "you use \"%(answer)s\". Worth checking who manages it before you choose.")),
    SetupNote("hosting", frozenset({"m365", "google"}), _(
        "Good to know: the mail of your domain arrives at %(provider)s, a hosting provider, "
        "while you told us you use \"%(answer)s\". Perhaps only part of your mail runs there. "
        "Worth checking before you choose.")),
)

# Talking points for the consultant's brief, from the stored check.
POINT_AT_RISK = _("The domain is at risk: forged mail in their name is easy. Open with this: "
                  "it is concrete, it is theirs, and it can be fixed quickly.")
POINT_DMARC_SENSITIVE = _("No DMARC while they handle sensitive data: anyone can send mail "
                          "that seems to come from them. Make the anti-spoofing measure "
                          "(SPF, DKIM, DMARC) a priority.")
POINT_TENANT = _("Their domain already receives mail at Microsoft 365, while they answered "
                 "\"%(answer)s\": ask who manages that tenant and which licences it has.")
POINT_PUBLIC = _("They use a public mail address (%(domain)s): talk about an own domain name.")
SENSITIVE_ANSWERS = frozenset({"some", "lots"})
DMARC_MISSING = frozenset({"dmarc.missing", "dmarc.none", "dmarc.malformed", "dmarc.multiple"})


def stored_report(submission: Submission) -> DomainReport | None:
    """The stored check, texts in the active language; None when there is none."""
    return DomainReport.from_dict(submission.domain_check) if submission.domain_check else None


def setup_note(report: DomainReport, answers: dict[str, str]) -> str:
    """The contradiction between the MX provider and the answer to current_setup, if any."""
    current = answers.get("current_setup", "")
    for note in SETUP_NOTES:
        if report.provider_key == note.provider and current in note.answers:
            provider = report.findings["provider"].params.get("name") or _("your provider")
            return str(note.text) % {"provider": provider,
                                     "answer": answer_label("current_setup", current)}
    return ""


def finding_rows(report: DomainReport) -> list[dict[str, Any]]:
    rows = []
    for finding in report.findings.values():
        settled = finding.status in (GOOD, INFO)
        rows.append({
            "label": CHECKS[finding.check].label,
            "status": finding.status,
            # "Info" says nothing either: who handles the mail is a fact.
            "status_label": "" if finding.status == INFO else STATUS_LABELS[finding.status],
            "texts": [finding.text_of(code) for code in finding.codes],
            # "Nothing to do" says nothing; only what needs doing is shown.
            "advice": "" if settled else finding.advice,
        })
    return rows


def domain_check_context(submission: Submission, *, in_pdf: bool = False
                         ) -> dict[str, Any] | None:
    """What the findings section shows, or None for no section at all.

    The page shows every state ("being checked", failed, skipped); a PDF only what was stored
    (its fingerprint covers the stored check, so it is made again when the check arrives).
    """
    state = submission.domain_check_level
    report = stored_report(submission)
    if not state or (in_pdf and report is None):
        return None
    if state == DomainCheckState.PENDING:
        return {"state": "pending", "text": PENDING_TEXT}
    if report is None:
        failed = state == DomainCheckState.FAILED
        return {"state": "failed" if failed else "skipped",
                "text": FAILED_TEXT if failed else NO_DOMAIN_TEXT}
    if report.skipped:
        return {"state": "skipped", "domain": report.domain, "text": report.skip_text,
                "advice": report.skip_advice, "checked_at": report.checked_at}
    return {
        "state": "ready",
        "domain": report.domain,
        "checked_at": report.checked_at,
        "level": report.level,
        "level_label": report.level_label,
        "text": LEVEL_TEXTS[report.level],
        "incomplete": "" if report.complete else INCOMPLETE_TEXT,
        "setup_note": setup_note(report, submission.answers),
        "findings": finding_rows(report),
    }


def domain_talking_points(submission: Submission) -> list[str]:
    """The stored check as talking points for the consultant's call, strongest first."""
    report = stored_report(submission)
    if report is None:
        return []
    if report.skipped:
        if report.skipped == PUBLIC_PROVIDER:
            return [str(POINT_PUBLIC) % {"domain": report.domain}]
        return []
    points = []
    if report.level == AT_RISK:
        points.append(str(POINT_AT_RISK))
    dmarc = report.findings.get("dmarc")
    if (dmarc and dmarc.code in DMARC_MISSING
            and submission.answers.get("sensitive_data") in SENSITIVE_ANSWERS):
        points.append(str(POINT_DMARC_SENSITIVE))
    current = submission.answers.get("current_setup", "")
    if report.provider_key == "microsoft_365" and current != "m365":
        points.append(str(POINT_TENANT) % {"answer": answer_label("current_setup", current)})
    return points
