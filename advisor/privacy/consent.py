"""What a visitor agrees to: the privacy statement's version, recorded with each consent, and
the separate opt-in to the yearly check-up with its own version and terms."""

from advisor.webhooks.events import CONSENT_MARK
from advisor.webhooks.profile import crm_enabled

# Bump when the privacy statement's text changes: consent records which text was accepted.
PRIVACY_STATEMENT_VERSION = "2026-12-03.5"

# The opt-in to the yearly check-up reminder (advisor/checkup) at the contact step. Its text
# (questionnaire/forms.py, CHECKUP_CONSENT_LABEL and CHECKUP_CONSENT_HELP) names the two
# periods below: change them, or the text, only together with a new version.
CHECKUP_CONSENT_VERSION = "2026-12-03.1"
# The one reminder is due this many months after the submission.
CHECKUP_AFTER_MONTHS = 12
# What the check-up needs (address, company name, language, answers, advice) is kept until
# this many months after the reminder was due, then deleted: the link in it works until then.
CHECKUP_KEEP_MONTHS = 2


def statement_version(*, crm: bool) -> str:
    """The version of the statement as shown: with the paragraph about the consultant's CRM
    (while the CRM webhook is on) it is another text, so it has another version."""
    return PRIVACY_STATEMENT_VERSION + (CONSENT_MARK if crm else "")


def current_statement_version() -> str:
    return statement_version(crm=crm_enabled())
