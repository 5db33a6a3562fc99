"""Privacy (AVG/GDPR) services: export and erase everything about one e-mail address, and
delete what is older than the retention period.

What is stored about a person: their submissions (answers, advice, contact details, consent,
the consultant's notes), the PDF report files, the mails in the outbox (to them, or about
their submission: the share mails and the consultant's notification), and an unfinished
questionnaire in a session (at most SESSION_COOKIE_AGE old).
"""

import calendar
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from post_office.models import Attachment, Email

from advisor.models import CspReport, Submission

logger = logging.getLogger(__name__)

# Where the PDF reports live in the media storage (Submission.report_pdf's upload_to).
REPORTS_DIR = "reports"
# A report file this new may still be on its way into the database (reports.report_for).
ORPHAN_GRACE = timedelta(hours=1)
# Mails are matched to submissions in groups, to keep each query small.
MATCH_BATCH = 200


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

def submissions_of(email: str) -> QuerySet[Submission]:
    return Submission.objects.filter(email__iexact=email.strip())


def _admin_paths(pk: int) -> set[str]:
    # The consultant's notification links to the admin page of the submission.
    paths = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            paths.add(reverse("admin:advisor_submission_change", args=[pk]))
    return paths


def _mails_about(submissions: Iterable[tuple[int, str]]) -> Iterator[int]:
    """Ids of outbox mails about these (pk, token) submissions: share mails carry the
    token in their link, the consultant's notification the admin path."""
    pairs = list(submissions)
    for start in range(0, len(pairs), MATCH_BATCH):
        condition = Q(pk__in=[])
        for pk, token in pairs[start:start + MATCH_BATCH]:
            condition |= Q(message__contains=token) | Q(html_message__contains=token)
            for path in _admin_paths(pk):
                condition |= Q(message__contains=path)
        yield from Email.objects.filter(condition).values_list("pk", flat=True)


def _mails_to(email: str) -> list[int]:
    wanted = email.strip().casefold()
    candidates = Email.objects.filter(
        Q(to__icontains=wanted) | Q(cc__icontains=wanted) | Q(bcc__icontains=wanted)
    )
    # icontains also finds "xeva@..." for "eva@...": compare whole addresses.
    return [
        mail.pk for mail in candidates
        if wanted in {address.strip().casefold() for address in [*mail.to, *mail.cc, *mail.bcc]}
    ]


def _mail_ids_for(email: str) -> set[int]:
    own = submissions_of(email).values_list("pk", "token")
    return set(_mails_to(email)) | set(_mails_about(own))


def _session_model() -> Any | None:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    # Only database-backed sessions can be searched; cookie sessions live in the browser.
    return store.get_model_class() if hasattr(store, "get_model_class") else None


def _holds_address(value: Any, wanted: str) -> bool:
    if isinstance(value, str):
        return value.strip().casefold() == wanted
    if isinstance(value, dict):
        return any(_holds_address(item, wanted) for item in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_address(item, wanted) for item in value)
    return False


def _sessions_with(email: str) -> list[Any]:
    """Unexpired sessions holding this address: an unfinished questionnaire's contact step."""
    model = _session_model()
    if model is None:
        return []
    wanted = email.strip().casefold()
    live = model.objects.filter(expire_date__gt=timezone.now())
    return [session for session in live.iterator() if _holds_address(session.get_decoded(), wanted)]


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
    mails = Email.objects.filter(pk__in=_mail_ids_for(email)).order_by("created")
    return {
        "email": email.strip(),
        "exported_at": timezone.now().isoformat(),
        "retention_months": settings.RETENTION_MONTHS,
        "submissions": [
            {**_as_dict(submission, exclude={"idempotency_key"}),
             "result_url": submission.get_absolute_url()}
            for submission in submissions
        ],
        "mails": [
            _as_dict(mail, exclude={"template", "context", "backend_alias", "headers"})
            for mail in mails
        ],
        "unfinished_questionnaires": [
            {"expires_at": session.expire_date.isoformat(), "data": session.get_decoded()}
            for session in _sessions_with(email)
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


def _delete_mails(mail_ids: Iterable[int]) -> int:
    ids = set(mail_ids)
    if not ids:
        return 0
    mails = Email.objects.filter(pk__in=ids)
    attachment_ids = list(
        Attachment.objects.filter(emails__in=mails).values_list("pk", flat=True).distinct()
    )
    count = mails.count()
    mails.delete()  # their delivery logs go with them (cascade)
    # Attachments no other mail uses go too, with their files.
    for attachment in Attachment.objects.filter(pk__in=attachment_ids, emails__isnull=True):
        attachment.file.delete(save=False)
        attachment.delete()
    return count


def _delete_submissions(queryset: QuerySet[Submission], extra_mail_ids: Iterable[int] = ()
                        ) -> tuple[int, set[str], int]:
    pairs = list(queryset.values_list("pk", "token"))
    files = set(queryset.exclude(report_pdf="").values_list("report_pdf", flat=True))
    mail_ids = set(_mails_about(pairs)) | set(extra_mail_ids)
    mails = _delete_mails(mail_ids)
    count, _counts = Submission.objects.filter(pk__in=[pk for pk, _token in pairs]).delete()
    return count, files, mails


def erase_personal_data(*, email: str) -> Removed:
    """Delete everything stored about one e-mail address (AVG article 17): submissions,
    their PDF files, the mails to the address or about its submissions, and an unfinished
    questionnaire. Irreversible."""
    with transaction.atomic():
        submissions, files, mails = _delete_submissions(
            submissions_of(email), extra_mail_ids=_mails_to(email)
        )
        sessions = _sessions_with(email)
        for session in sessions:
            session.delete()
    removed = Removed(submissions=submissions, files=_delete_files(files), mails=mails,
                      sessions=len(sessions))
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
        old_mails = Email.objects.filter(created__lt=cutoff).values_list("pk", flat=True)
        submissions, files, mails = _delete_submissions(
            Submission.objects.filter(created_at__lt=cutoff), extra_mail_ids=old_mails
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
    model = _session_model()
    if model is None:
        return 0
    count, _counts = model.objects.filter(expire_date__lt=now).delete()
    return count
