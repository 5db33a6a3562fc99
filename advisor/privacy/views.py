"""The public privacy statement."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from advisor.privacy.consent import (
    CHECKUP_AFTER_MONTHS,
    CHECKUP_KEEP_MONTHS,
    statement_version,
)
from advisor.webhooks.profile import crm_enabled


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    crm = crm_enabled()
    return render(request, "advisor/privacy.html", {
        "privacy_version": statement_version(crm=crm),
        "retention_months": settings.RETENTION_MONTHS,
        "checkup": {"after": CHECKUP_AFTER_MONTHS, "keep": CHECKUP_KEEP_MONTHS,
                    "most": CHECKUP_AFTER_MONTHS + CHECKUP_KEEP_MONTHS,
                    "keeps_longer": CHECKUP_AFTER_MONTHS + CHECKUP_KEEP_MONTHS
                    > settings.RETENTION_MONTHS},
        "crm": crm,
    })
