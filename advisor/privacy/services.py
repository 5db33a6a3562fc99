"""Privacy (AVG/GDPR) services: export and erase everything about one e-mail address, and
delete what is older than the retention period.

What is stored about a person: their submissions (answers, advice, contact details, consent,
the consultant's notes), the PDF report files, the outgoing mails (linked by foreign key to
the submission they are about: the advice mail, shares and the consultant's notification;
or sent to their address), the webhook deliveries to the consultant's CRM (linked to the
submission; their payload holds the contact details), and an unfinished questionnaire in a
session (at most SESSION_COOKIE_AGE old). Mails are found by those links and by the exact
address, never by searching mail texts; sessions by the keyed digest of the address
(privacy/sessions.py), never by decoding every session.

A visitor who opted in to the yearly check-up (advisor/checkup) has a CheckupReminder with
their submission. At the end of the normal retention period such a submission is reduced to
what the check-up needs (address, company name, language, answers, advice), and deleted
CHECKUP_KEEP_MONTHS after the reminder was due, or as soon as the visitor stops it.
"""

import calendar
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
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

from advisor.models import (
    CheckupReminder,
    CspReport,
    OutgoingMail,
    Submission,
    WebhookDelivery,
    lead_figures_changed,
)
from advisor.privacy.consent import CHECKUP_KEEP_MONTHS
from advisor.privacy.sessions import SessionStore, erase_sessions_holding, sessions_holding
from advisor.web.fragments import forget_private_pages

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
    # Submissions kept for a check-up, reduced to what it needs (purge only).
    reduced: int = 0
    crm_deliveries: int = 0


def months_before(moment: datetime, months: int) -> datetime:
    """The same moment `months` calendar months earlier (31 March - 1 month = 28/29 Feb)."""
    year, month_index = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month_index + 1)[1])
    return moment.replace(year=year, month=month_index + 1, day=day)


def months_after(moment: datetime, months: int) -> datetime:
    """The same moment `months` calendar months later (31 January + 1 month = 28/29 Feb)."""
    return months_before(moment, -months)


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


def _checkup_of(submission: Submission) -> dict[str, Any] | None:
    """The opt-in to the yearly check-up and where it stands; the link's token left out."""
    reminder = CheckupReminder.objects.filter(submission=submission).first()
    if reminder is None:
        return None
    return _as_dict(reminder, exclude={"id", "submission", "token"})


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
             "result_url": submission.get_absolute_url(),
             "checkup_reminder": _checkup_of(submission)}
            for submission in submissions
        ],
        "mails": [_as_dict(mail, exclude={"headers"}) for mail in mails],
        # What went to the consultant's CRM, with the payload as it was posted.
        "crm_webhook_deliveries": [
            {**_as_dict(delivery, exclude={"body"}), "payload": json.loads(delivery.body)}
            for delivery in WebhookDelivery.objects.filter(submission__in=submissions)
            .order_by("created_at", "pk")
        ],
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
                        ) -> tuple[Removed, set[str]]:
    """Delete the submissions with their mails and webhook deliveries (foreign key) and the
    extra mails; returns the counts and the report files to delete once the transaction has
    committed."""
    # Locked first: a report render finishing now either stores its file before this reads
    # the names (and it is deleted), or waits and then finds no row (and deletes its file).
    rows = list(queryset.select_for_update().values_list("pk", "report_pdf", "created_at",
                                                         "token"))
    pks = [pk for pk, _name, _created, _token in rows]
    files = {name for _pk, name, _created, _token in rows if name}
    mails, _counts = OutgoingMail.objects.filter(
        Q(submission__in=pks) | Q(pk__in=extra_mails.values("pk"))
    ).delete()
    deliveries, _counts = WebhookDelivery.objects.filter(submission__in=pks).delete()
    # Counted per model: the total would include what cascades (check-up reminders).
    _total, counts = Submission.objects.filter(pk__in=pks).delete()
    count = counts.get(Submission._meta.label, 0)
    # The admin's change history names each lead ("Bakkerij Jansen (2026-11-29)"): it goes too.
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Submission),
                            object_id__in=[str(pk) for pk in pks]).delete()
    if count:
        # The back office's cached counts of their weeks no longer hold (backoffice/dashboard.py).
        lead_figures_changed(created_at={created for _pk, _name, created, _token in rows})
    # Their result pages' cached copies (web/fragments.private_page) go with them.
    forget_private_pages(token for _pk, _name, _created, token in rows)
    return Removed(submissions=count, mails=mails, crm_deliveries=deliveries), files


def erase_personal_data(*, email: str) -> Removed:
    """Delete everything stored about one e-mail address (AVG article 17): submissions with
    their check-up reminders, their PDF files, the mails to the address or about its
    submissions (a reminder still queued included, so it never leaves), their webhook
    deliveries, and an unfinished questionnaire. Irreversible."""
    with transaction.atomic():
        removed, files = _delete_submissions(submissions_of(email),
                                             extra_mails=_mails_to(email))
        sessions = erase_sessions_holding(email)
    removed = replace(removed, files=_delete_files(files), sessions=sessions)
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


def kept_for_checkup(*, now: datetime) -> QuerySet[Submission]:
    """Submissions whose yearly check-up still needs them: the visitor opted in, has not
    stopped it, and the reminder was due less than CHECKUP_KEEP_MONTHS ago (or is to come).
    Bounded whatever the workers do: a reminder never sent is kept no longer either."""
    return Submission.objects.filter(
        checkup__opted_out_at__isnull=True,
        checkup__due_at__gt=months_before(now, CHECKUP_KEEP_MONTHS),
    )


# What a submission kept for its check-up loses at the end of the normal retention period.
REDUCED_FIELDS = {"name": "", "phone": "", "question": "", "notes": "", "report_pdf": "",
                  "report_fingerprint": "", "report_failed_at": None, "domain_check": None,
                  "domain_check_level": "", "domain_checked_at": None}


def _reduce_to_checkup(queryset: QuerySet[Submission], *, now: datetime
                       ) -> tuple[int, int, set[str]]:
    """Keep only what the check-up needs: clear the contact details it does not use, the
    consultant's notes and the domain check, close the report link, delete the webhook
    deliveries (their payload names the person); returns the counts and the report files to
    delete once the transaction has committed."""
    # Locked as _delete_submissions does, so a report render finishing now cannot slip a
    # file in after its name was read.
    rows = list(queryset.select_for_update(of=("self",)).values_list("pk", "report_pdf",
                                                                     "token"))
    pks = [pk for pk, _name, _token in rows]
    Submission.objects.filter(pk__in=pks).update(**REDUCED_FIELDS, link_revoked_at=now)
    forget_private_pages(token for _pk, _name, token in rows)
    CheckupReminder.objects.filter(submission__in=pks).update(reduced_at=now)
    deliveries, _counts = WebhookDelivery.objects.filter(submission__in=pks).delete()
    return len(pks), deliveries, {name for _pk, name, _token in rows if name}


def purge_expired(*, now: datetime | None = None, months: int | None = None) -> Removed:
    """Delete what is older than the retention period: submissions with their PDF files, the
    mails and webhook deliveries about them, every outbox mail and webhook test event from
    before the cutoff, report files nothing points to, and expired sessions (unfinished
    questionnaires). A submission whose
    check-up still needs it is reduced to what that needs instead, and deleted once the
    check-up is over (kept_for_checkup)."""
    now = now or timezone.now()
    cutoff = retention_cutoff(now=now, months=months)
    expired = Submission.objects.filter(created_at__lt=cutoff)
    kept = kept_for_checkup(now=now).values("pk")
    with transaction.atomic():
        removed, files = _delete_submissions(
            expired.exclude(pk__in=kept),
            extra_mails=OutgoingMail.objects.filter(created_at__lt=cutoff),
        )
        reduced, reduced_deliveries, reduced_files = _reduce_to_checkup(
            expired.filter(pk__in=kept, checkup__reduced_at__isnull=True), now=now)
        tests, _counts = WebhookDelivery.objects.filter(submission__isnull=True,
                                                        created_at__lt=cutoff).delete()
    file_count = (_delete_files(files | reduced_files)
                  + _delete_files(_orphan_report_files(now - ORPHAN_GRACE)))
    sessions = _purge_expired_sessions(now)
    reports, _counts = CspReport.objects.filter(
        received_at__lt=now - timedelta(days=settings.CSP_REPORT_RETENTION_DAYS)).delete()
    removed = replace(removed, files=file_count, sessions=sessions, reduced=reduced,
                      crm_deliveries=removed.crm_deliveries + reduced_deliveries + tests)
    logger.info("Retention purge (older than %s): %s; CSP reports %d",
                cutoff.date().isoformat(), removed, reports)
    return removed


def delete_if_past_retention(*, submission_id: int, now: datetime | None = None) -> Removed:
    """Delete one submission at once when the normal retention period is over and nothing
    keeps it any longer (its visitor just stopped the check-up it was kept for)."""
    now = now or timezone.now()
    queryset = Submission.objects.filter(pk=submission_id, created_at__lt=retention_cutoff(
        now=now)).exclude(pk__in=kept_for_checkup(now=now).values("pk"))
    with transaction.atomic():
        removed, files = _delete_submissions(queryset, extra_mails=OutgoingMail.objects.none())
    return replace(removed, files=_delete_files(files))


def _purge_expired_sessions(now: datetime) -> int:
    count, _counts = SessionStore.get_model_class().objects.filter(expire_date__lt=now).delete()
    return count
