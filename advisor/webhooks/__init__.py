"""The CRM webhook: each new lead and status change posted, signed, to the consultant's CRM."""
