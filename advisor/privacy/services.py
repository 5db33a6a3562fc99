"""Privacy (AVG/GDPR) services: export and erase everything about one e-mail address, and
delete what is older than the retention period.

What is stored about a person: their submissions (answers, advice, contact details, consent,
the consultant's notes), the PDF report files, the outgoing mails (linked by foreign key to
the submission they are about: the advice mail, shares and the consultant's notification;
or sent to their address), and an unfinished questionnaire in a session (at most
SESSION_COOKIE_AGE old). Mails are found by those links and by the exact address, never by
searching mail texts; sessions by the keyed digest of the address (privacy/sessions.py),
never by decoding every session.
"""

import calendar
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from advisor.models import LEAD_FIGURES, CspReport, OutgoingMail, Submission
from advisor.privacy.sessions import SessionStore, sessions_holding

logger = logging.getLogger(__name__)

# Where the PDF reports live in the media storage (Submission.report_pdf's upload_to).
REPORTS_DIR = "reports"
# A report file this new may still be on its way into the database (a render in progress).
ORPHAN_GRACE = timedelta(hours=1)


@dataclass(frozen=True)
class Removed:
    """What a deletion removed, for the command's output and the admin's message."""

    submissions: int = 0
    files: int = 0
    mails: int = 0
    sessions: int = 0


def months_before(moment: datetime, months: int) -> datetime:
    """The same moment `months` calendar months earlier (31 March - 1 month = 28/29 Feb)."""
    year, month_index = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month_index + 1)[1])
    return moment.replace(year=year, month=month_index + 1, day=day)


def retention_cutoff(*, now: datetime | None = None, months: int | None = None) -> datetime:
    """Anything stored before this moment is past the retention period."""
    return months_before(now or timezone.now(), settings.RETENTION_MONTHS if months is None
                         else months)


# --- Finding what belongs to whom ---

def _address(email: str) -> str:
    return email.strip().lower()


def submissions_of(email: str) -> QuerySet[Submission]:
    """Submissions with exactly this address, in any case (through an index on LOWER)."""
    return Submission.objects.alias(address=Lower("email")).filter(address=_address(email))


def _mails_to(email: str) -> QuerySet[OutgoingMail]:
    return OutgoingMail.objects.alias(address=Lower("recipient")).filter(
        address=_address(email)
    )


def mails_of(email: str) -> QuerySet[OutgoingMail]:
    """Mails about this address's submissions (by foreign key) or sent to the address."""
    return OutgoingMail.objects.filter(
        Q(submission__in=submissions_of(email)) | Q(pk__in=_mails_to(email).values("pk"))
    )


# --- Export ---

def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    return value


def _as_dict(instance: Any, exclude: Iterable[str] = ()) -> dict[str, Any]:
    return {
        field.name: _json_value(field.value_from_object(instance))
        for field in instance._meta.concrete_fields
        if field.name not in exclude
    }


def export_personal_data(*, email: str) -> dict[str, Any]:
    """Everything stored about one e-mail address, ready for json.dumps (AVG article 15)."""
    submissions = list(submissions_of(email))
    mails = mails_of(email).order_by("created_at", "pk")
    return {
        "email": email.strip(),
        "exported_at": timezone.now().isoformat(),
        "retention_months": settings.RETENTION_MONTHS,
        "submissions": [
            {**_as_dict(submission, exclude={"idempotency_key"}),
             "result_url": submission.get_absolute_url()}
            for submission in submissions
        ],
        "mails": [_as_dict(mail, exclude={"headers"}) for mail in mails],
        "unfinished_questionnaires": [
            # Only the sessions found by the address's digest are decoded, for their content.
            {"expires_at": session.expire_date.isoformat(), "data": session.get_decoded()}
            for session in sessions_holding(email)
        ],
    }


# --- Deletion ---

def _delete_files(names: Iterable[str]) -> int:
    deleted = 0
    for name in {name for name in names if name}:
        if default_storage.exists(name):
            default_storage.delete(name)
            deleted += 1
    return deleted


def _delete_submissions(queryset: QuerySet[Submission], extra_mails: QuerySet[OutgoingMail]
                        ) -> tuple[int, set[str], int]:
    """Delete the submissions with their mails (foreign key) and the extra mails; returns
    the counts and the report files to delete once the transaction has committed."""
    # Locked first: a report render finishing now either stores its file before this reads
    # the names (and it is deleted), or waits and then finds no row (and deletes its file).
    rows = list(queryset.select_for_update().values_list("pk", "report_pdf"))
    pks = [pk for pk, _name in rows]
    files = {name for _pk, name in rows if name}
    mails, _counts = OutgoingMail.objects.filter(
        Q(submission__in=pks) | Q(pk__in=extra_mails.values("pk"))
    ).delete()
    count, _counts = Submission.objects.filter(pk__in=pks).delete()
    # The admin's change history names each lead ("Bakkerij Jansen (2026-11-29)"): it goes too.
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Submission),
                            object_id__in=[str(pk) for pk in pks]).delete()
    if count:
        # The back office's cached counts no longer hold (backoffice/dashboard.py).
        LEAD_FIGURES.advance_on_commit()
    return count, files, mails


def erase_personal_data(*, email: str) -> Removed:
    """Delete everything stored about one e-mail address (AVG article 17): submissions,
    their PDF files, the mails to the address or about its submissions, and an unfinished
    questionnaire. Irreversible."""
    with transaction.atomic():
        submissions, files, mails = _delete_submissions(
            submissions_of(email), extra_mails=_mails_to(email)
        )
        sessions, _counts = sessions_holding(email).delete()
    removed = Removed(submissions=submissions, files=_delete_files(files), mails=mails,
                      sessions=sessions)
    logger.info("Erased personal data on request: %s", removed)
    return removed


def _orphan_report_files(older_than: datetime) -> list[str]:
    """Report files no submission points to (left by a crash or a failed deletion)."""
    known = set(Submission.objects.exclude(report_pdf="").values_list("report_pdf", flat=True))
    orphans, folders = [], [REPORTS_DIR]
    while folders:
        folder = folders.pop()
        if not default_storage.exists(folder):
            continue
        subfolders, names = default_storage.listdir(folder)
        folders.extend(f"{folder}/{sub}" for sub in subfolders)
        for name in names:
            path = f"{folder}/{name}"
            if path not in known and default_storage.get_modified_time(path) < older_than:
                orphans.append(path)
    return orphans


def purge_expired(*, now: datetime | None = None, months: int | None = None) -> Removed:
    """Delete what is older than the retention period: submissions with their PDF files and
    the mails about them, every outbox mail from before the cutoff, report files nothing
    points to, and expired sessions (unfinished questionnaires)."""
    now = now or timezone.now()
    cutoff = retention_cutoff(now=now, months=months)
    with transaction.atomic():
        submissions, files, mails = _delete_submissions(
            Submission.objects.filter(created_at__lt=cutoff),
            extra_mails=OutgoingMail.objects.filter(created_at__lt=cutoff),
        )
    file_count = _delete_files(files) + _delete_files(_orphan_report_files(now - ORPHAN_GRACE))
    sessions = _purge_expired_sessions(now)
    reports, _counts = CspReport.objects.filter(
        received_at__lt=now - timedelta(days=settings.CSP_REPORT_RETENTION_DAYS)).delete()
    removed = Removed(submissions=submissions, files=file_count, mails=mails, sessions=sessions)
    logger.info("Retention purge (older than %s): %s; CSP reports %d",
                cutoff.date().isoformat(), removed, reports)
    return removed


def _purge_expired_sessions(now: datetime) -> int:
    count, _counts = SessionStore.get_model_class().objects.filter(expire_date__lt=now).delete()
    return count
