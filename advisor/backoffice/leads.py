"""Leads in the back office: labels, follow-up, share-link status and exports (CSV, ZIP).

Everything here reads stored submissions; the admin (admin.py) only wires it to pages.
"""

import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from advisor.advice import table as q
from advisor.advice.labels import answer_label, plan_label, verdict_label
from advisor.lib.spreadsheet import excel_cell, excel_csv_lines
from advisor.models import OPEN_STATUSES, Submission
from advisor.reports.report import read_stored_report, report_download, report_filename

# --- Follow-up ----------------------------------------------------------------------------

OVERDUE = "overdue"
DUE_TODAY = "today"
DUE_THIS_WEEK = "week"
NOT_PLANNED = "none"
FOLLOW_UP_CHOICES = [
    (OVERDUE, gettext_lazy("Overdue")),
    (DUE_TODAY, gettext_lazy("Due today")),
    (DUE_THIS_WEEK, gettext_lazy("Due in the next 7 days")),
    (NOT_PLANNED, gettext_lazy("Open, no date planned")),
]


def follow_up_filter(queryset: QuerySet[Submission], *, due: str, today: date) -> QuerySet:
    """Open leads (not yet customer or lost) by when their next follow-up is due."""
    open_leads = queryset.filter(status__in=OPEN_STATUSES)
    if due == OVERDUE:
        return open_leads.filter(next_follow_up__lt=today)
    if due == DUE_TODAY:
        return open_leads.filter(next_follow_up=today)
    if due == DUE_THIS_WEEK:
        return open_leads.filter(next_follow_up__gte=today,
                                 next_follow_up__lte=today + timedelta(days=7))
    if due == NOT_PLANNED:
        return open_leads.filter(next_follow_up__isnull=True)
    return queryset


def is_overdue(submission: Submission, *, today: date) -> bool:
    return (
        submission.next_follow_up is not None
        and submission.next_follow_up < today
        and submission.status in OPEN_STATUSES
    )


# --- Share link ---------------------------------------------------------------------------

LINK_ACTIVE = "active"
LINK_EXPIRED = "expired"
LINK_REVOKED = "revoked"


@dataclass(frozen=True)
class LinkStatus:
    state: str
    since_or_until: datetime

    @property
    def label(self) -> str:
        when = formats.date_format(timezone.localtime(self.since_or_until), "DATETIME_FORMAT")
        if self.state == LINK_REVOKED:
            return _("Revoked on %(date)s") % {"date": when}
        if self.state == LINK_EXPIRED:
            return _("Expired on %(date)s") % {"date": when}
        return _("Active until %(date)s") % {"date": when}

    @property
    def active(self) -> bool:
        return self.state == LINK_ACTIVE


def link_status(submission: Submission, *, now: datetime) -> LinkStatus:
    if submission.link_revoked_at is not None:
        return LinkStatus(LINK_REVOKED, submission.link_revoked_at)
    expiry = submission.link_expires_at
    return LinkStatus(LINK_EXPIRED if expiry <= now else LINK_ACTIVE, expiry)


# --- Where a lead came from ---------------------------------------------------------------

# The source filter's values: a campaign source as it is (it never contains ":" and never
# starts with "-", advisor/funnel/sources.py), a referring site after "site:", or direct.
SITE_PREFIX = "site:"
DIRECT_SOURCE = "-"


def source_filter_value(*, source: str, referrer: str) -> str:
    """A lead's source as the lead list filters on it: the campaign source, else the
    referring site, else direct."""
    if source:
        return source
    return f"{SITE_PREFIX}{referrer}" if referrer else DIRECT_SOURCE


def source_filter(queryset: QuerySet[Submission], *, value: str) -> QuerySet[Submission]:
    if value == DIRECT_SOURCE:
        return queryset.filter(utm_source="", referrer_host="")
    if value.startswith(SITE_PREFIX):
        return queryset.filter(utm_source="", referrer_host=value.removeprefix(SITE_PREFIX))
    return queryset.filter(utm_source=value)


def source_of(submission: Submission) -> str:
    """One word for the lead list: the campaign source, else the referring site."""
    return submission.utm_source or submission.referrer_host


# --- CSV for Dutch Excel ------------------------------------------------------------------

def csv_header() -> list[str]:
    return [
        _("Submitted at"), _("Company"), _("Name"), _("E-mail address"), _("Phone"),
        _("Sector"), _("Team size"), _("Advice"), _("Clear advice"), _("Suggested plan"),
        _("Follow-up status"), _("Next follow-up"), _("Notes"), _("Question for the consultant"),
        _("Language"), _("Consent given at"), _("Privacy statement version"),
        _("Campaign source"), _("Campaign medium"), _("Campaign"), _("Referring site"),
        *(str(question.label) for question in q.QUESTIONS.values()),
    ]


def csv_row(submission: Submission) -> list[str]:
    def when(moment: datetime) -> str:
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")

    return [excel_cell(value) for value in (
        when(submission.created_at), submission.company, submission.name, submission.email,
        submission.phone, answer_label("sector", submission.sector),
        answer_label("team_size", submission.team_size), verdict_label(submission.verdict),
        _("Yes") if submission.clear else _("No"), plan_label(submission.plan),
        submission.get_status_display(),
        submission.next_follow_up.isoformat() if submission.next_follow_up else "",
        submission.notes, submission.question, submission.language,
        when(submission.consent_at), submission.consent_version,
        submission.utm_source, submission.utm_medium, submission.utm_campaign,
        submission.referrer_host,
        *(answer_label(key, submission.answers[key]) if key in submission.answers else ""
          for key in q.QUESTIONS),
    )]


def csv_lines(submissions: Iterable[Submission]) -> Iterator[str]:
    """The leads as CSV for Dutch Excel: UTF-8 with a byte order mark, semicolons, labels."""
    return excel_csv_lines(csv_header(), (csv_row(submission) for submission in submissions))


def csv_filename(*, today: date) -> str:
    return f"leads-{today.isoformat()}.csv"


# --- ZIP of reports -----------------------------------------------------------------------

# Reports are read from storage (rendered by the worker); a ZIP stays a reasonable download.
ZIP_MAX_REPORTS = 50


def reports_not_ready(submissions: Iterable[Submission]) -> int:
    """How many of these leads have no stored report yet; a render is queued for each."""
    return sum(not report_download(submission=s).ready for s in submissions)


def reports_zip(submissions: Iterable[Submission]) -> bytes:
    """One stored PDF advice report per lead, under its own file name."""
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for submission in submissions:
            name = report_filename(submission)
            if name in used:
                name = name.removesuffix(".pdf") + f"-{submission.pk}.pdf"
            used.add(name)
            archive.writestr(name, read_stored_report(submission))
    return buffer.getvalue()


def zip_filename(*, today: date) -> str:
    return f"email-adviezen-{today.isoformat()}.zip"
