"""What a visitor's advice is still waiting for: the PDF and the domain check, as plain states.

The result page, the PDF's "being prepared" page and the small status endpoint that the
page's script polls all read it from here, so they agree on what "ready" means.
"""

from dataclasses import dataclass

from advisor.models import DomainCheckState, Submission
from advisor.reports.report import PREPARING, report_state

# The parts of the page that come by themselves, by the names the page's script uses.
PDF, DOMAIN_CHECK = "pdf", "domain_check"
# The domain check's states as the page sees them: still looking, or settled either way
# (checked, skipped, failed: nothing more will come by itself).
DOMAIN_PENDING, DOMAIN_DONE = "pending", "done"
# The columns the states are read from: a poll loads these and the link's own, no more.
STATUS_FIELDS = ("token", "report_pdf", "report_failed_at", "domain_check_level")


@dataclass(frozen=True)
class ReportStatus:
    """The PDF's state (report.READY, PREPARING or FAILED) and the domain check's
    (DOMAIN_PENDING, DOMAIN_DONE, or "" when the submission has no check)."""

    pdf: str
    domain_check: str

    @property
    def pdf_waiting(self) -> bool:
        return self.pdf == PREPARING

    @property
    def domain_waiting(self) -> bool:
        return self.domain_check == DOMAIN_PENDING

    @property
    def waiting_parts(self) -> list[str]:
        """The parts ("pdf", "domain_check") still coming by themselves."""
        return [part for part, waiting in ((PDF, self.pdf_waiting),
                                           (DOMAIN_CHECK, self.domain_waiting)) if waiting]

    def as_json(self) -> dict[str, str | list[str] | None]:
        """The endpoint's answer: states only, nothing about the visitor or the advice."""
        return {PDF: self.pdf, DOMAIN_CHECK: self.domain_check or None,
                "waiting": self.waiting_parts}


def report_status(submission: Submission) -> ReportStatus:
    """Where the submission's PDF and domain check stand, from what is stored; queues
    nothing (a status read may be repeated as often as a browser likes)."""
    level = submission.domain_check_level
    if not level:
        domain = ""
    elif level == DomainCheckState.PENDING:
        domain = DOMAIN_PENDING
    else:
        domain = DOMAIN_DONE
    return ReportStatus(pdf=report_state(submission), domain_check=domain)
