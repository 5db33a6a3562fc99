"""The back office page for data-subject requests: export or erase one e-mail address.

Lives under the admin URL, behind the admin's login and second factor (admin_view).
Export needs permission to view submissions, erasure permission to delete them, and both a
password and code confirmed in the last few minutes (advisor/backoffice/reauth.py).
"""

import json
from dataclasses import asdict

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from advisor.backoffice.reauth import ConfirmIdentityForm, mark_confirmed, recently_confirmed
from advisor.lib.mailbox import validate_mailbox
from advisor.privacy.services import erase_personal_data, export_personal_data

EXPORT, REVIEW, ERASE = "export", "review", "erase"
# Present when the confirm-it's-you form was sent (its password field, prefixed).
IDENTITY_SENT = "identity-password"
# Erasure here cannot reach the consultant's CRM: the lead was posted there and stays there.
CRM_COPY_LEFT = gettext_lazy(
    "This person's details were also sent to your CRM by the webhook. Delete them there too: "
    "the site cannot do that for you."
)


class PersonForm(forms.Form):
    # The same rule as the forms that stored the address: one mailbox, no lists or IP domains.
    email = forms.CharField(label=gettext_lazy("E-mail address of the person"), max_length=254,
                            validators=[validate_mailbox], widget=forms.EmailInput)


def _privacy_requests(request: HttpRequest) -> TemplateResponse | HttpResponse:
    form = PersonForm(request.POST or None)
    action = request.POST.get("action")
    context = {**admin.site.each_context(request), "title": _("Privacy requests"), "form": form}
    if request.method != "POST" or not form.is_valid():
        return TemplateResponse(request, "admin/privacy_requests.html", context)

    email = form.cleaned_data["email"]
    if action in (EXPORT, ERASE):
        needed = "advisor.view_submission" if action == EXPORT else "advisor.delete_submission"
        if not request.user.has_perm(needed):
            raise PermissionDenied
        if not recently_confirmed(request):
            identity = ConfirmIdentityForm(request.POST if IDENTITY_SENT in request.POST
                                           else None, request=request, prefix="identity")
            if not identity.is_valid():
                context.update(confirm_identity=identity, email=email, action=action)
                return TemplateResponse(request, "admin/privacy_requests.html", context)
            mark_confirmed(request)
    if action == EXPORT:
        data = export_personal_data(email=email)
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="personal-data-{timezone.localdate():%Y%m%d}.json"'
        )
        response["Cache-Control"] = "no-store"
        return response

    if not request.user.has_perm("advisor.delete_submission"):
        raise PermissionDenied
    if action == ERASE:
        removed = erase_personal_data(email=email)
        messages.success(request, _(
            "Deleted for this address: submissions %(submissions)d, files %(files)d, "
            "e-mails %(mails)d, unfinished questionnaires %(sessions)d."
        ) % asdict(removed))
        if removed.crm_deliveries:
            messages.warning(request, CRM_COPY_LEFT)
        return redirect("admin_privacy")
    # REVIEW (or anything else): show what would be erased and ask to confirm.
    found = export_personal_data(email=email)
    context.update(review=True, email=email, found={
        "submissions": len(found["submissions"]),
        "mails": len(found["mails"]),
        "sessions": len(found["unfinished_questionnaires"]),
        "crm_deliveries": len(found["crm_webhook_deliveries"]),
    })
    return TemplateResponse(request, "admin/privacy_requests.html", context)


privacy_requests = admin.site.admin_view(_privacy_requests)
