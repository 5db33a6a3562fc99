"""AVG (GDPR) duties: consent, the privacy statement, retention, export and erasure."""
