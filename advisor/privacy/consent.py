"""What a visitor agrees to: the privacy statement's version, recorded with each consent."""

# Bump when the privacy statement's text changes: consent records which text was accepted.
PRIVACY_STATEMENT_VERSION = "2026-12-03.1"
