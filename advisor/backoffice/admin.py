"""The consultant's back office: leads, reports, follow-up, and the profile with branding."""

import json
from collections.abc import Iterable
from functools import partial
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.forms import BaseInlineFormSet
from django.forms.models import model_to_dict
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from advisor.advice import labels
from advisor.advice.changes import AdviceChanges, advice_changes
from advisor.advice.changes import answer_rows as changed_answer_rows
from advisor.advice.engine import Advice
from advisor.advice.table import PLANS
from advisor.backoffice import leads
from advisor.consultant.branding import delete_replaced_logo
from advisor.consultant.pricing import DEFAULT_PRICES, DEFAULT_PRICES_AS_OF
from advisor.funnel.export import DIRECT
from advisor.funnel.report import CountedSources, counted_sources
from advisor.models import (
    BOOKING_URL_HTTPS_ONLY,
    CheckupReminder,
    ConsultantProfile,
    CspReport,
    DomainCheckState,
    MailStatus,
    OutgoingMail,
    PlanPrice,
    Submission,
    WebhookDelivery,
    WebhookStatus,
    lead_figures_changed,
)
from advisor.outbox.delivery import send_again
from advisor.questionnaire import checkup as checkups
from advisor.questionnaire.domain_check import request_domain_check
from advisor.questionnaire.services import revoke_link
from advisor.reports.brief import brief_filename, render_brief
from advisor.reports.domain import domain_check_context, domain_talking_points
from advisor.reports.pdf import ReportUnavailable
from advisor.reports.presenters import answer_rows
from advisor.reports.report import (
    FAILED,
    read_stored_report,
    report_download,
    report_filename,
)
from advisor.web.fragments import forget_private_pages
from advisor.webhooks.delivery import result_text
from advisor.webhooks.destination import MESSAGES as WEBHOOK_URL_MESSAGES
from advisor.webhooks.destination import NOT_A_URL, RefusedAddress, connection_to
from advisor.webhooks.events import (
    queue_status_changed,
    queue_test_event,
    told_about_crm,
)
from advisor.webhooks.events import (
    send_again as send_webhook_again,
)
from advisor.webhooks.profile import crm_enabled, ensure_secret, replace_secret

SELECT_ONE_LEAD = _(
    "Select exactly one lead to download its PDF; for several, use the ZIP download."
)
REPORT_UNAVAILABLE = _(
    "The PDF could not be made right now. Nothing was changed; please try again in a minute."
)
REPORT_PREPARING = _(
    "The PDF report is still being made. It is usually ready within a minute; try again then."
)
REDUCED_FOR_CHECKUP = _(
    "This lead is kept only for the yearly check-up the visitor asked for: its name, phone "
    "number, question, notes and PDF report were deleted at the end of the retention period."
)
REPORTS_PREPARING = _(
    "Not all selected reports are ready yet (%(count)d still being made). They are on their "
    "way; download the ZIP again in a minute."
)


def as_download(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    """Mark a back-office file as a download that no cache may keep (it holds lead data)."""
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


def pdf_response(pdf: bytes, filename: str) -> HttpResponseBase:
    return as_download(HttpResponse(pdf, content_type="application/pdf"), filename)


# --- Lead list: filters from the questionnaire's table, so they cost no query -----------


class FixedChoicesFilter(admin.SimpleListFilter):
    """A filter whose options come from the table, not from a DISTINCT over every lead."""

    field: str = ""

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        raise NotImplementedError

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(**{self.field: self.value()})
        return queryset


class VerdictFilter(FixedChoicesFilter):
    title = _("advice")
    parameter_name = field = "verdict"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return labels.VERDICT_CHOICES


class PlanFilter(FixedChoicesFilter):
    title = _("suggested plan")
    parameter_name = field = "plan"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return labels.PLAN_CHOICES


class SectorFilter(FixedChoicesFilter):
    title = _("sector")
    parameter_name = field = "sector"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return labels.choices_of("sector")


class TeamSizeFilter(FixedChoicesFilter):
    title = _("team size")
    parameter_name = field = "team_size"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return labels.choices_of("team_size")


class DomainLevelFilter(FixedChoicesFilter):
    title = _("domain check")
    parameter_name = "domain"
    field = "domain_check_level"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        # At risk first: the consultant's best prospects.
        return [(state.value, state.label) for state in DOMAIN_LEVEL_ORDER]


# Options from the funnel's counts, read once per page for the three filters.
SOURCE_OPTIONS = 12


def _counted_sources(request: HttpRequest) -> CountedSources:
    if not hasattr(request, "_counted_sources"):
        request._counted_sources = counted_sources(limit=SOURCE_OPTIONS)
    return request._counted_sources


class SourceFilter(admin.SimpleListFilter):
    title = _("source")
    parameter_name = "source"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        counted = _counted_sources(request)
        return [*((source, source) for source in counted.sources),
                *((leads.source_filter_value(source="", referrer=site), site)
                  for site in counted.sites),
                (leads.DIRECT_SOURCE, DIRECT)]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return leads.source_filter(queryset, value=self.value())
        return queryset


class CountedValuesFilter(FixedChoicesFilter):
    """A campaign field, with the values that brought the most leads as its options."""

    counted: str = ""  # the CountedSources list with the options

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return [(value, value) for value in getattr(_counted_sources(request), self.counted)]


class MediumFilter(CountedValuesFilter):
    title = _("campaign medium")
    parameter_name, field, counted = "medium", "utm_medium", "media"


class CampaignFilter(CountedValuesFilter):
    title = _("campaign")
    parameter_name, field, counted = "campaign", "utm_campaign", "campaigns"


class FollowUpFilter(admin.SimpleListFilter):
    title = _("next follow-up")
    parameter_name = "follow_up"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return leads.FOLLOW_UP_CHOICES

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return leads.follow_up_filter(queryset, due=self.value(), today=timezone.localdate())
        return queryset


# --- Lead list: sorted on one indexed column, ties in the same direction --------------------

# The list's order after the sorted column: every index of the lead list ends in it
# (Submission.Meta.indexes).
TIE_ORDER = ("created_at", "pk")


class LeadChangeList(ChangeList):
    """Sorts on the first sortable column of ``?o=`` only, with ties in the same direction
    (company A-Z: the oldest lead of a company first; Z-A: the newest first).

    Reversing a sort then reverses the whole list, so one index per column, ending in
    (created_at, id), serves both directions and every page. Django's own ordering would add
    the other clicked columns and "-pk", an order no index has: a sort of every lead. A
    column outside ``sortable_by`` is never sorted, whatever the address says.
    """

    # Without a sort in the address (or with one that is not allowed): the newest first.
    default_sort = ("submitted", True)

    def _sort(self) -> tuple[str, bool]:
        """The column of list_display the list is sorted on, and whether descending."""
        first = self.params.get(ORDER_VAR, "").split(".")[0]
        descending, number = first.startswith("-"), first.removeprefix("-")
        if number.isdigit() and int(number) < len(self.list_display):
            column = self.list_display[int(number)]
            if column in self.sortable_by:
                return column, descending
        return self.default_sort

    def get_ordering(self, request: HttpRequest, queryset: QuerySet) -> list[str]:
        column, descending = self._sort()
        sign = "-" if descending else ""
        fields = dict.fromkeys((self.get_ordering_field(column), *TIE_ORDER))
        return [sign + field for field in fields]

    def get_ordering_field_columns(self) -> dict[int, str]:
        # The header marks the one column the list is sorted on.
        column, descending = self._sort()
        return {self.list_display.index(column): "desc" if descending else "asc"}


# --- Actions --------------------------------------------------------------------------------


@admin.action(description=_("Download the PDF report (one lead)"))
def download_report(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Submission]
) -> HttpResponse | None:
    submissions = list(queryset[:2])
    if len(submissions) != 1:
        modeladmin.message_user(request, SELECT_ONE_LEAD, messages.WARNING)
        return None
    return stored_report_response(modeladmin, request, submissions[0])


def stored_report_response(
    modeladmin: admin.ModelAdmin, request: HttpRequest, submission: Submission
) -> HttpResponse | None:
    """The stored report as a download, or a message when it is still being made (the
    back office never renders a report in the request, as the visitor's download does not)."""
    download = report_download(submission=submission)
    if download.ready:
        return pdf_response(read_stored_report(submission), report_filename(submission))
    message = REPORT_UNAVAILABLE if download.state == FAILED else REPORT_PREPARING
    modeladmin.message_user(request, message, messages.WARNING)
    return None


@admin.action(description=_("Download the selected reports as one ZIP file"))
def download_reports_zip(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Submission]
) -> HttpResponse | None:
    submissions = list(queryset.order_by("-created_at")[: leads.ZIP_MAX_REPORTS + 1])
    if len(submissions) > leads.ZIP_MAX_REPORTS:
        modeladmin.message_user(request, _(
            "Select at most %(count)d leads for one ZIP file."
        ) % {"count": leads.ZIP_MAX_REPORTS}, messages.WARNING)
        return None
    waiting = leads.reports_not_ready(submissions)
    if waiting:
        modeladmin.message_user(request, REPORTS_PREPARING % {"count": waiting},
                                messages.WARNING)
        return None
    archive = leads.reports_zip(submissions)
    return as_download(HttpResponse(archive, content_type="application/zip"),
                       leads.zip_filename(today=timezone.localdate()))


@admin.action(description=_("Export the selected leads as CSV (for Excel)"))
def export_csv(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Submission]
) -> HttpResponseBase:
    # "Select all" makes this the whole filtered list; streamed, so 100,000 rows are fine.
    rows = queryset.order_by("-created_at").iterator(chunk_size=2000)
    response = StreamingHttpResponse(leads.csv_lines(rows), content_type="text/csv; charset=utf-8")
    return as_download(response, leads.csv_filename(today=timezone.localdate()))


@admin.action(description=_("Revoke the share links of the selected leads"))
def revoke_share_links(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Submission]
) -> None:
    revoked = 0
    for submission in queryset.filter(link_revoked_at__isnull=True):
        revoke_link(submission=submission)
        revoked += 1
    modeladmin.message_user(request, ngettext(
        "%(count)d share link revoked: it no longer opens the advice.",
        "%(count)d share links revoked: they no longer open the advice.",
        revoked,
    ) % {"count": revoked}, messages.SUCCESS)


DOMAIN_LEVEL_ORDER = (DomainCheckState.AT_RISK, DomainCheckState.IMPROVE, DomainCheckState.GOOD,
                      DomainCheckState.PENDING, DomainCheckState.SKIPPED, DomainCheckState.FAILED)
DOMAIN_CHECK_OFF = _("The domain check is switched off in your profile; nothing was looked up.")


def check_domains_again(submissions: Iterable[Submission]) -> int:
    """Ask a new domain check of each lead; the count asked (none while switched off)."""
    return sum(request_domain_check(submission=submission) for submission in submissions)


@admin.action(description=_("Check the e-mail domain of the selected leads again"))
def check_domain_again(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Submission]
) -> None:
    asked = check_domains_again(queryset.only("pk"))
    if not asked:
        modeladmin.message_user(request, DOMAIN_CHECK_OFF, messages.WARNING)
        return
    modeladmin.message_user(request, ngettext(
        "%(count)d domain check asked for; the result appears on the lead with its time.",
        "%(count)d domain checks asked for; the results appear on the leads with their time.",
        asked,
    ) % {"count": asked}, messages.SUCCESS)


def changes_context(changes: AdviceChanges) -> dict[str, Any]:
    """What changed in a check-up, named for the consultant (labels from the table)."""
    def pair(values: tuple[str, str] | None, label: Any) -> list[Any] | None:
        return [label(value) for value in values] if values else None

    return {
        "any": changes.any,
        "verdict": pair(changes.verdict, labels.verdict_label),
        "close_call": changes.close_call,
        "plan": pair(changes.plan, labels.plan_label),
        "measures_added": [labels.measure_label(key) for key in changes.measures_added],
        "measures_removed": [labels.measure_label(key) for key in changes.measures_removed],
        "answers": changed_answer_rows(changes),
    }


# --- Leads ----------------------------------------------------------------------------------


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("company", "name", "sector_label", "team_size_label", "verdict_label",
                    "plan_label", "domain_level", "source", "submitted", "status", "follow_up")
    list_display_links = ("company",)
    list_filter = (FollowUpFilter, "status", VerdictFilter, PlanFilter, SectorFilter,
                   TeamSizeFilter, DomainLevelFilter, SourceFilter, MediumFilter,
                   CampaignFilter, "created_at")
    search_fields = ("company", "name", "email")
    search_help_text = _("Search by company, name or e-mail address.")
    # Columns of list_display (not fields), each with an index that gives its order
    # (LeadChangeList): sorting 100,000 leads on anything else means sorting all of them.
    sortable_by = ("company", "submitted", "status", "follow_up")
    ordering = ("-created_at",)
    list_per_page = 50
    list_max_show_all = 500
    # One COUNT per page (of the filtered list, from an index), not a second over all leads.
    show_full_result_count = False
    # Counts next to every filter option would mean a COUNT query per option.
    show_facets = admin.ShowFacets.NEVER
    actions = (download_report, download_reports_zip, export_csv, revoke_share_links,
               check_domain_again)
    change_form_template = "admin/advisor/submission/change_form.html"
    # The share-link panel links the result page while the link works; no dead "view on site".
    view_on_site = False
    readonly_fields = ("company", "name", "email", "phone", "question", "advice_panel",
                       "checkup_panel", "answers_panel", "consent_panel", "link_panel",
                       "domain_panel", "webhook_panel", "created_at", "utm_source",
                       "utm_medium", "utm_campaign", "referrer_host")
    fieldsets = (
        (_("Follow-up"), {"fields": ("status", "next_follow_up", "notes")}),
        (_("Contact"), {"fields": ("company", "name", "email", "phone", "question",
                                   "created_at")}),
        (_("Advice"), {"fields": ("advice_panel",)}),
        (_("Yearly check-up"), {"fields": ("checkup_panel",)}),
        (_("E-mail domain"), {"fields": ("domain_panel",)}),
        (_("Answers"), {"fields": ("answers_panel",)}),
        (_("Where the lead came from"), {
            "fields": ("utm_source", "utm_medium", "utm_campaign", "referrer_host"),
            "description": _("The campaign parameters of the address the visitor arrived at, "
                             "and the website that linked to it. Empty: not known."),
        }),
        (_("Consent"), {"fields": ("consent_panel",)}),
        (_("Share link"), {"fields": ("link_panel",)}),
        (_("CRM webhook"), {"fields": ("webhook_panel",)}),
    )

    class Media:
        css = {"all": ("css/admin.css",)}

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return LeadChangeList

    def get_queryset(self, request: HttpRequest) -> QuerySet[Submission]:
        queryset = super().get_queryset(request)
        match = request.resolver_match
        if match is not None and match.url_name == "advisor_submission_changelist":
            # The list never shows the stored answers, advice and domain findings: don't load
            # kilobytes a row.
            queryset = queryset.defer("answers", "advice", "domain_check")
        return queryset

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Leads come from the questionnaire only; the consent record must be real.
        return False

    # The dashboard counts leads by follow-up status and overdue date: a change of either, or
    # a deletion, makes the cached counts of the lead's week stale.

    def save_model(self, request: HttpRequest, obj: Submission, form: Any,
                   change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "status" in form.changed_data:
            # In the admin's transaction: the CRM hears of the change only if it is saved.
            queue_status_changed(submission=obj, old_status=form.initial["status"])
        if {"status", "next_follow_up"} & set(form.changed_data):
            lead_figures_changed(created_at=[obj.created_at])

    def delete_model(self, request: HttpRequest, obj: Submission) -> None:
        super().delete_model(request, obj)
        lead_figures_changed(created_at=[obj.created_at])
        forget_private_pages([obj.token])  # the result page's cached copy goes with it

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Submission]) -> None:
        # Their dates and links before they are gone: the weeks whose counts to make again,
        # the result pages whose cached copies to delete.
        rows = list(queryset.values_list("created_at", "token"))
        super().delete_queryset(request, queryset)
        lead_figures_changed(created_at={created for created, _token in rows})
        forget_private_pages(token for _created, token in rows)

    # List columns ---------------------------------------------------------------------------

    @admin.display(description=_("sector"), ordering="sector")
    def sector_label(self, obj: Submission) -> str:
        return labels.short_answer_label("sector", obj.sector)

    @admin.display(description=_("team size"), ordering="team_size")
    def team_size_label(self, obj: Submission) -> str:
        return labels.answer_label("team_size", obj.team_size)

    @admin.display(description=_("advice"), ordering="verdict")
    def verdict_label(self, obj: Submission) -> str:
        return labels.verdict_label(obj.verdict)

    @admin.display(description=_("plan"), ordering="plan")
    def plan_label(self, obj: Submission) -> str:
        return labels.short_plan_label(obj.plan)

    @admin.display(description=_("domain"), ordering="domain_check_level")
    def domain_level(self, obj: Submission) -> str:
        return obj.get_domain_check_level_display() or "-"

    @admin.display(description=_("source"))
    def source(self, obj: Submission) -> str:
        return leads.source_of(obj) or "-"

    @admin.display(description=_("submitted"), ordering="created_at")
    def submitted(self, obj: Submission) -> str:
        return formats.date_format(timezone.localtime(obj.created_at), "SHORT_DATE_FORMAT")

    @admin.display(description=_("next follow-up"), ordering="next_follow_up")
    def follow_up(self, obj: Submission) -> str:
        if obj.next_follow_up is None:
            return "-"
        when = formats.date_format(obj.next_follow_up, "SHORT_DATE_FORMAT")
        if leads.is_overdue(obj, today=timezone.localdate()):
            return format_html('<span class="follow-up-overdue">{} · {}</span>', when,
                               _("overdue"))
        return when

    # Detail panels: small templates, every value escaped -----------------------------------

    @admin.display(description=_("Advice"))
    def advice_panel(self, obj: Submission) -> SafeString:
        advice = Advice.from_dict(obj.advice)
        return render_to_string("admin/advisor/submission/_advice.html", {
            "advice": advice,
            "reasons": [{"reason": r, "towards": labels.verdict_label(r.towards)}
                        for r in advice.reasons],
        })

    @admin.display(description=_("E-mail domain"))
    def domain_panel(self, obj: Submission) -> SafeString:
        return render_to_string("admin/advisor/submission/_domain.html", {
            "submission": obj,
            "domain_check": domain_check_context(obj),
            "talking_points": domain_talking_points(obj),
            "check_url": reverse("admin:advisor_submission_check_domain", args=[obj.pk]),
        })

    @admin.display(description=_("Answers"))
    def answers_panel(self, obj: Submission) -> SafeString:
        return render_to_string("admin/advisor/submission/_answers.html",
                                {"answers": answer_rows(obj.answers)})

    @admin.display(description=_("Consent"))
    def consent_panel(self, obj: Submission) -> SafeString:
        return render_to_string("admin/advisor/submission/_consent.html", {"submission": obj})

    @admin.display(description=_("Yearly check-up"))
    def checkup_panel(self, obj: Submission) -> SafeString:
        reminder = checkups.reminder_of(obj)
        previous = obj.previous
        return render_to_string("admin/advisor/submission/_checkup.html", {
            "reminder": reminder,
            "state": checkups.state(reminder) if reminder else None,
            "valid_until": checkups.link_valid_until(reminder) if reminder else None,
            "reduced_notice": REDUCED_FOR_CHECKUP,
            "previous": previous,
            "continued_by": list(obj.continued_by.only("pk", "company", "created_at")
                                 .order_by("created_at")),
            "changes": changes_context(advice_changes(previous.advice, obj.advice))
            if previous else None,
        })

    @admin.display(description=_("CRM webhook"))
    def webhook_panel(self, obj: Submission) -> SafeString:
        deliveries = list(obj.webhook_deliveries.order_by("-created_at")[:WEBHOOK_PANEL_ROWS])
        return render_to_string("admin/advisor/submission/_webhook.html", {
            "deliveries": [{"delivery": delivery, "result": result_text(delivery),
                            "resend_url": reverse("admin:advisor_webhookdelivery_send_again",
                                                  args=[delivery.pk]) + "?back=lead"}
                           for delivery in deliveries],
            "told_about_crm": told_about_crm(obj),
            "crm_enabled": crm_enabled(),
            "all_url": reverse("admin:advisor_webhookdelivery_changelist")
            + f"?submission__id__exact={obj.pk}",
        })

    @admin.display(description=_("Share link"))
    def link_panel(self, obj: Submission) -> SafeString:
        return render_to_string("admin/advisor/submission/_link.html", {
            "submission": obj,
            "status": leads.link_status(obj, now=timezone.now()),
        })

    # Per-lead downloads and the revoke button ----------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("<int:object_id>/report.pdf", wrap(self.report_view),
                 name="advisor_submission_report"),
            path("<int:object_id>/brief.pdf", wrap(self.brief_view),
                 name="advisor_submission_brief"),
            path("<int:object_id>/revoke/", wrap(require_POST(self.revoke_view)),
                 name="advisor_submission_revoke"),
            path("<int:object_id>/check-domain/", wrap(require_POST(self.check_domain_view)),
                 name="advisor_submission_check_domain"),
            *super().get_urls(),
        ]

    def _lead(self, request: HttpRequest, object_id: int, *, change: bool = False) -> Submission:
        submission = get_object_or_404(self.get_queryset(request), pk=object_id)
        allowed = (self.has_change_permission if change else self.has_view_permission)(
            request, submission
        )
        if not allowed:
            raise PermissionDenied
        return submission

    def _reduced(self, request: HttpRequest, submission: Submission) -> bool:
        """A lead kept only for its check-up has no documents any more; none is made anew."""
        reduced = CheckupReminder.objects.filter(submission=submission,
                                                 reduced_at__isnull=False).exists()
        if reduced:
            self.message_user(request, REDUCED_FOR_CHECKUP, messages.WARNING)
        return reduced

    def report_view(self, request: HttpRequest, object_id: int) -> HttpResponseBase:
        submission = self._lead(request, object_id)
        if self._reduced(request, submission):
            return redirect(self._change_url(submission))
        return (stored_report_response(self, request, submission)
                or redirect(self._change_url(submission)))

    def brief_view(self, request: HttpRequest, object_id: int) -> HttpResponseBase:
        # Rendered on demand: only staff can ask for it (no crowd to bound), it is wanted
        # right before a call, and it shows the prices and notes of this moment.
        submission = self._lead(request, object_id)
        if self._reduced(request, submission):
            return redirect(self._change_url(submission))
        try:
            return pdf_response(render_brief(submission), brief_filename(submission))
        except ReportUnavailable:
            self.message_user(request, REPORT_UNAVAILABLE, messages.ERROR)
            return redirect(self._change_url(submission))

    def revoke_view(self, request: HttpRequest, object_id: int) -> HttpResponseRedirect:
        submission = self._lead(request, object_id, change=True)
        if submission.link_revoked_at is None:
            revoke_link(submission=submission)
            self.message_user(request, _("The share link is revoked: it no longer opens the "
                                         "advice."), messages.SUCCESS)
        return redirect(self._change_url(submission))

    def check_domain_view(self, request: HttpRequest, object_id: int) -> HttpResponseRedirect:
        submission = self._lead(request, object_id, change=True)
        if check_domains_again([submission]):
            self.message_user(request, _("The domain check is asked for; the result appears "
                                         "here with its time."), messages.SUCCESS)
        else:
            self.message_user(request, DOMAIN_CHECK_OFF, messages.WARNING)
        return redirect(self._change_url(submission))

    def _change_url(self, submission: Submission) -> str:
        return reverse("admin:advisor_submission_change", args=[submission.pk])

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict[str, Any] | None = None) -> HttpResponse:
        extra_context = extra_context or {}
        submission = self.get_object(request, object_id)
        if submission is not None:
            extra_context["link_active"] = leads.link_status(
                submission, now=timezone.now()).active
            extra_context["reduced"] = CheckupReminder.objects.filter(
                submission=submission, reduced_at__isnull=False).exists()
        return super().change_view(request, object_id, form_url, extra_context)


# --- Profile, branding and prices: one row, edited in place ---------------------------------


class PlanPriceFormSet(BaseInlineFormSet):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A new profile starts from the list prices, one row per plan.
        if not self.instance.pk:
            self.initial = [{"plan": plan, "monthly_price": DEFAULT_PRICES[plan]}
                            for plan in PLANS]

    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        form = super()._construct_form(i, **kwargs)
        if not self.instance.pk:
            # Django saves an extra row only when it differs from its initial values; a
            # consultant who keeps the list prices means them to be the price table.
            form.empty_permitted = False
            form.has_changed = lambda: True
        return form


class PlanPriceInline(admin.TabularInline):
    model = PlanPrice
    formset = PlanPriceFormSet
    fields = ("plan", "monthly_price")
    can_delete = False
    max_num = len(PLANS)
    verbose_name = _("price")
    verbose_name_plural = _("Price table (for the cost estimate in the consultant brief)")

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # A table row has column headings but no <label>: name each input for screen readers.
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            formfield.widget.attrs["aria-label"] = str(db_field.verbose_name)
        return formfield

    def get_extra(self, request: HttpRequest, obj: ConsultantProfile | None = None,
                  **kwargs: Any) -> int:
        if obj is None:
            return len(PLANS)
        return len(PLANS) - obj.prices.count()


WEBHOOK_URL_NEEDED = _("Enter the webhook address your CRM gives you, or switch the webhook "
                       "off.")
WEBHOOK_TEST_NEEDS_ADDRESS = _("Save a webhook address first; the test event goes to the saved "
                               "address.")


class ConsultantProfileForm(forms.ModelForm):
    class Meta:
        model = ConsultantProfile
        fields = ("consultant_name", "company_name", "email", "phone", "website", "booking_url",
                  "kvk", "logo", "primary_color", "accent_color", "prices_as_of", "billing_term",
                  "domain_check_enabled", "webhook_enabled", "webhook_url",
                  "webhook_on_new_lead", "webhook_on_status_change")
        # The browser's own colour picker; the model still checks the value is #rrggbb.
        widgets = {"primary_color": forms.TextInput(attrs={"type": "color"}),
                   "accent_color": forms.TextInput(attrs={"type": "color"}),
                   # Django 6.1 puts this input in a fieldset whose legend does not label it.
                   "logo": forms.ClearableFileInput(attrs={"aria-label": _("logo")}),
                   # A plain input, not the admin's "currently: <link>": the address is for
                   # the site to post to, not a page to open (and it may hold a token).
                   "webhook_url": forms.URLInput(attrs={"class": "vURLField"})}
        # Any malformed address gets the message that says what a good one looks like.
        error_messages = {"booking_url": {"invalid": BOOKING_URL_HTTPS_ONLY},
                          "webhook_url": {"invalid": WEBHOOK_URL_MESSAGES[NOT_A_URL]}}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        url = cleaned.get("webhook_url")
        if url:
            # https and a public address (advisor/webhooks/destination.py), checked now so
            # the consultant hears of a typo here rather than from a failed delivery.
            try:
                connection_to(url)
            except RefusedAddress as refused:
                self.add_error("webhook_url", refused.message)
        elif cleaned.get("webhook_enabled") and "webhook_url" not in self.errors:
            self.add_error("webhook_url", WEBHOOK_URL_NEEDED)
        return cleaned


@admin.register(ConsultantProfile)
class ConsultantProfileAdmin(admin.ModelAdmin):
    form = ConsultantProfileForm
    inlines = (PlanPriceInline,)
    fieldsets = (
        (_("You and your company"), {"fields": ("consultant_name", "company_name", "email",
                                                "phone", "website", "booking_url", "kvk")}),
        (_("Look"), {
            "fields": ("logo", "primary_color", "accent_color"),
            "description": _("Shown on every page, in every e-mail and in new PDF reports. "
                             "Reports made earlier are made again on their next download."),
        }),
        (_("Prices"), {"fields": ("prices_as_of", "billing_term")}),
        (_("Domain check"), {"fields": ("domain_check_enabled",)}),
        (_("CRM webhook"), {
            "fields": ("webhook_enabled", "webhook_url", "webhook_on_new_lead",
                       "webhook_on_status_change", "webhook_secret_panel"),
            "description": _("A webhook is a message this site sends to another system the "
                             "moment something happens. Each new lead, and each status "
                             "change you make, goes to your CRM as JSON (a common data "
                             "format), signed with the secret below (Standard Webhooks). "
                             "Your CRM checks the signature, so nobody else can send it "
                             "leads."),
        }),
    )
    readonly_fields = ("webhook_secret_panel",)

    class Media:
        css = {"all": ("css/admin.css",)}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not ConsultantProfile.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("signing secret"))
    def webhook_secret_panel(self, obj: ConsultantProfile) -> SafeString:
        return render_to_string("admin/advisor/consultantprofile/_webhook_secret.html", {
            "profile": obj,
            "secret_url": reverse("admin:advisor_consultantprofile_webhook_secret",
                                  args=[obj.pk]) if obj.pk else "",
            "test_url": reverse("admin:advisor_consultantprofile_webhook_test",
                                args=[obj.pk]) if obj.pk else "",
            "deliveries_url": reverse("admin:advisor_webhookdelivery_changelist"),
        })

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("<int:object_id>/webhook-secret/", wrap(require_POST(self.new_secret_view)),
                 name="advisor_consultantprofile_webhook_secret"),
            path("<int:object_id>/webhook-test/", wrap(require_POST(self.test_event_view)),
                 name="advisor_consultantprofile_webhook_test"),
            *super().get_urls(),
        ]

    def _editable_profile(self, request: HttpRequest, object_id: int) -> ConsultantProfile:
        profile = get_object_or_404(ConsultantProfile, pk=object_id)
        if not self.has_change_permission(request, profile):
            raise PermissionDenied
        return profile

    def new_secret_view(self, request: HttpRequest, object_id: int) -> HttpResponseRedirect:
        profile = replace_secret(profile=self._editable_profile(request, object_id))
        self.message_user(request, _(
            "A new signing secret is made. Copy it into your CRM: the old one keeps signing "
            "for another 24 hours, so nothing is refused while you switch."), messages.SUCCESS)
        return redirect("admin:advisor_consultantprofile_change", profile.pk)

    def test_event_view(self, request: HttpRequest, object_id: int) -> HttpResponseRedirect:
        profile = self._editable_profile(request, object_id)
        if queue_test_event() is None:
            self.message_user(request, WEBHOOK_TEST_NEEDS_ADDRESS, messages.WARNING)
        else:
            self.message_user(request, _(
                "A test event with a made-up lead is on its way. Its result is listed under "
                "CRM webhook deliveries."), messages.SUCCESS)
        return redirect("admin:advisor_consultantprofile_change", profile.pk)

    def changelist_view(self, request: HttpRequest,
                        extra_context: dict[str, Any] | None = None) -> HttpResponse:
        # One profile: the list would only ever hold one row, so open it directly.
        profile = ConsultantProfile.load()
        if profile.pk is not None:
            return redirect("admin:advisor_consultantprofile_change", profile.pk)
        return redirect("admin:advisor_consultantprofile_add")

    def changeform_view(self, request: HttpRequest, object_id: str | None = None,
                        form_url: str = "",
                        extra_context: dict[str, Any] | None = None) -> HttpResponse:
        # There is only one profile: no "save and add another".
        extra_context = {**(extra_context or {}), "show_save_and_add_another": False}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        # A fresh install starts from the branding in settings, as the pages show it.
        return {**model_to_dict(ConsultantProfile.from_settings(), fields=self.form.Meta.fields),
                "prices_as_of": DEFAULT_PRICES_AS_OF}

    def save_model(self, request: HttpRequest, obj: ConsultantProfile, form: Any,
                   change: bool) -> None:
        obj.pk = ConsultantProfile.SINGLETON_ID
        ensure_secret(obj)  # made for the consultant, never typed
        previous = (ConsultantProfile.objects.filter(pk=obj.pk)
                    .values_list("logo", flat=True).first() or "")
        super().save_model(request, obj, form, change)
        # A replaced or cleared logo leaves no file behind in the media storage.
        transaction.on_commit(partial(delete_replaced_logo, previous=previous,
                                      current=obj.logo.name or ""))


# --- Outgoing mail: what was sent to whom, and what failed ----------------------------------


@admin.action(description=_("Send the selected e-mails again"))
def send_mails_again(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[OutgoingMail]
) -> None:
    queued = 0
    for mail in queryset.exclude(status=MailStatus.SENT):
        send_again(mail=mail)
        queued += 1
    modeladmin.message_user(request, ngettext(
        "%(count)d e-mail queued to be sent again (e-mails already sent are left alone).",
        "%(count)d e-mails queued to be sent again (e-mails already sent are left alone).",
        queued,
    ) % {"count": queued}, messages.SUCCESS)


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """Read-only: a mail is written by the site and sent by the worker, never edited here."""

    list_display = ("created_at", "kind", "recipient", "subject", "status", "attempts",
                    "last_error", "sent_at")
    list_filter = ("status", "kind")
    list_select_related = ("submission",)
    search_fields = ("recipient",)
    search_help_text = _("Search by the exact e-mail address of the recipient.")
    ordering = ("-created_at",)
    actions = (send_mails_again,)
    show_full_result_count = False
    readonly_fields = ("submission", "kind", "sender", "recipient", "subject", "message_id",
                       "status", "attempts", "last_error", "created_at", "sent_at",
                       "body_text")
    exclude = ("body_html", "headers")


    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[OutgoingMail],
                           search_term: str) -> tuple[QuerySet[OutgoingMail], bool]:
        # The exact address, case-insensitive, through the recipient's index: no substring
        # scan over every mail.
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.alias(address=Lower("recipient")).filter(address=term.lower()), False


# --- CRM webhook deliveries: what went to the CRM, and what did not (yet) ------------------

WEBHOOK_PANEL_ROWS = 10
RETRY_PLANNED = _("This delivery is already being retried; the next attempt is at %(when)s.")


@admin.action(description=_("Send the selected deliveries again"))
def send_deliveries_again(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[WebhookDelivery]
) -> None:
    queued = sum(send_webhook_again(delivery=delivery)
                 for delivery in queryset.select_related(None).only("pk"))
    modeladmin.message_user(request, ngettext(
        "%(count)d delivery queued to be sent again, with the same webhook-id as before. "
        "Deliveries with a retry planned are left alone.",
        "%(count)d deliveries queued to be sent again, each with the same webhook-id as "
        "before. Deliveries with a retry planned are left alone.",
        queued,
    ) % {"count": queued}, messages.SUCCESS)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """Read-only: a delivery is written by the site and posted by the worker; staff can only
    send it again."""

    list_display = ("created_at", "event", "lead", "state", "attempts", "last_result",
                    "delivered_at")
    list_filter = ("status", "event")
    list_select_related = ("submission",)
    ordering = ("-created_at",)
    actions = (send_deliveries_again,)
    show_full_result_count = False
    change_form_template = "admin/advisor/webhookdelivery/change_form.html"
    fields = ("submission", "event", "webhook_id", "state", "attempts", "last_result",
              "created_at", "last_attempt_at", "delivered_at", "payload")
    readonly_fields = fields

    class Media:
        css = {"all": ("css/admin.css",)}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("lead"), ordering="submission__company")
    def lead(self, obj: WebhookDelivery) -> str:
        if obj.submission is None:
            return str(_("(test event)"))
        url = reverse("admin:advisor_submission_change", args=[obj.submission_id])
        return format_html('<a href="{}">{}</a>', url, obj.submission.company)

    @admin.display(description=_("status"), ordering="status")
    def state(self, obj: WebhookDelivery) -> str:
        if obj.status == WebhookStatus.PENDING and obj.next_attempt_at:
            when = formats.date_format(timezone.localtime(obj.next_attempt_at),
                                       "DATETIME_FORMAT")
            return _("%(status)s, next attempt %(when)s") % {
                "status": obj.get_status_display(), "when": when}
        return obj.get_status_display()

    @admin.display(description=_("last result"))
    def last_result(self, obj: WebhookDelivery) -> str:
        return result_text(obj) or "-"

    @admin.display(description=_("payload"))
    def payload(self, obj: WebhookDelivery) -> SafeString:
        # The JSON as posted, laid out for reading.
        pretty = json.dumps(json.loads(obj.body), ensure_ascii=False, indent=2)
        # Focusable, so a keyboard can scroll it (WCAG 2.1.1).
        return format_html('<pre class="webhook-payload" tabindex="0" role="region" '
                           'aria-label="{}">{}</pre>', _("payload"), pretty)

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("<int:object_id>/send-again/", wrap(require_POST(self.send_again_view)),
                 name="advisor_webhookdelivery_send_again"),
            *super().get_urls(),
        ]

    def send_again_view(self, request: HttpRequest, object_id: int) -> HttpResponseRedirect:
        delivery = get_object_or_404(WebhookDelivery, pk=object_id)
        if not self.has_view_permission(request, delivery):
            raise PermissionDenied
        if send_webhook_again(delivery=delivery):
            self.message_user(request, _(
                "Queued to be sent again, with the same webhook-id: a CRM that already has "
                "this event ignores it."), messages.SUCCESS)
        else:
            delivery.refresh_from_db()
            when = formats.date_format(timezone.localtime(delivery.next_attempt_at),
                                       "DATETIME_FORMAT")
            self.message_user(request, RETRY_PLANNED % {"when": when}, messages.WARNING)
        if request.GET.get("back") == "lead" and delivery.submission_id:
            return redirect("admin:advisor_submission_change", delivery.submission_id)
        return redirect("admin:advisor_webhookdelivery_change", delivery.pk)


@admin.register(CspReport)
class CspReportAdmin(admin.ModelAdmin):
    """What browsers reported the content security policy blocked: read-only, for whoever
    maintains the site (a broken page after a change, or someone probing it)."""

    list_display = ("received_at", "directive", "blocked", "document", "source", "line")
    list_filter = ("directive", "disposition")
    date_hierarchy = "received_at"
    ordering = ("-received_at",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


if settings.TASKS_IN_PROCESS:
    # Development on SQLite keeps jobs in memory: procrastinate's job tables do not exist.
    from procrastinate.contrib.django.models import ProcrastinateJob

    if admin.site.is_registered(ProcrastinateJob):
        admin.site.unregister(ProcrastinateJob)
