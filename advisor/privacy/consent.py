"""What a visitor agrees to: the privacy statement's version, recorded with each consent."""

from advisor.webhooks.events import CONSENT_MARK
from advisor.webhooks.profile import crm_enabled

# Bump when the privacy statement's text changes: consent records which text was accepted.
PRIVACY_STATEMENT_VERSION = "2026-12-03.1"


def statement_version(*, crm: bool) -> str:
    """The version of the statement as shown: with the paragraph about the consultant's CRM
    (while the CRM webhook is on) it is another text, so it has another version."""
    return PRIVACY_STATEMENT_VERSION + (CONSENT_MARK if crm else "")


def current_statement_version() -> str:
    return statement_version(crm=crm_enabled())
