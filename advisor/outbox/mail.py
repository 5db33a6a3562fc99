"""Outgoing e-mail. Every mail is a row of OutgoingMail, written in the transaction of what it
is about, and delivered by the ``deliver_mail`` job (``tasks.py``) once that transaction has
committed: a submission or a share never waits for, or fails on, the SMTP server."""

import secrets
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.signing import BadSignature, Signer
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from advisor.advice import table as q
from advisor.advice.engine import Advice
from advisor.consultant.branding import get_branding
from advisor.lib.mailbox import mailbox_key
from advisor.models import CheckupReminder, MailKind, OutgoingMail, Submission
from advisor.outbox.limits import claim_mailbox, lock_mailboxes
from advisor.queue.jobs import defer_on_commit


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def consultant_address() -> str:
    return settings.CONSULTANT_EMAIL or get_branding().email


def one_line(text: str) -> str:
    """Visitor text for a mail header: whitespace and line breaks collapsed to single spaces."""
    return " ".join(text.split())


def queue_consultant_notification(*, submission: Submission) -> OutgoingMail:
    """Tell the consultant about a new submission: a short summary and a link to the admin.

    Deliberately without the visitor's e-mail address, phone number or question: the
    admin link (behind a login) shows those.
    """
    with translation.override(settings.LANGUAGE_CODE):
        advice = Advice.from_dict(submission.advice)
        context = {
            "branding": get_branding(),
            "company": submission.company,
            "clear": advice.clear,
            "verdict": advice.verdict_name,
            "plan": advice.plan_info.name,
            "sector": q.QUESTIONS["sector"].choice(submission.sector).label,
            "team_size": q.QUESTIONS["team_size"].choice(submission.team_size).label,
            "submitted_at": submission.created_at,
            "has_question": bool(submission.question.strip()),
            # A yearly check-up: the lead's page shows what changed since this date.
            "continues": submission.previous.created_at if submission.previous_id else None,
            "admin_url": absolute_url(
                reverse("admin:advisor_submission_change", args=[submission.pk])
            ),
        }
        subject = _("New e-mail advice request: %(company)s") % {
            "company": one_line(submission.company)
        }
        return _queue(submission=submission, kind=MailKind.CONSULTANT, to=consultant_address(),
                      subject=subject, template="email/consultant_notification",
                      context=context)


# What each mail to the visitor or a colleague says in its subject and opening.
SUBJECTS = {
    MailKind.ADVICE: gettext_noop("Your e-mail advice from %(consultant)s"),
    MailKind.SHARE_SELF: gettext_noop("Your e-mail advice from %(consultant)s"),
    MailKind.SHARE_COLLEAGUE: gettext_noop("E-mail advice shared with you via %(consultant)s"),
}


def queue_advice_mail(*, submission: Submission, kind: str = MailKind.ADVICE,
                      recipient: str | None = None) -> OutgoingMail:
    """Queue the fixed, branded mail with the links to the advice and its PDF, in the
    visitor's language, with the consultant as Reply-To. Raises AddressLimitReached, and
    queues nothing, when the recipient has had its mails for today (outbox/limits.py).

    Nothing the visitor typed goes in, not even the company name: the first mail goes to
    whatever address was typed, and a share to a colleague, so a text of the visitor's choosing
    would let anyone send anyone a message under the consultant's name. The plan is the
    table's own words. The first advice mail carries the link that confirms the
    address (``confirm_url``), after which the visitor may share (questionnaire/sharing.py).
    """
    with translation.override(submission.language):
        branding = get_branding()
        advice = Advice.from_dict(submission.advice)
        confirm = kind == MailKind.ADVICE and submission.email_confirmed_at is None
        context = {
            "branding": branding,
            "plan": advice.plan_info.name,
            "result_url": absolute_url(submission.get_absolute_url()),
            "pdf_url": absolute_url(reverse("advisor:report_pdf", args=[submission.token])),
            "confirm_url": absolute_url(confirmation_path(submission)) if confirm else "",
            "expires_at": submission.link_expires_at,
            "to_self": kind != MailKind.SHARE_COLLEAGUE,
            "checkup": _checkup_notice(submission) if kind != MailKind.SHARE_COLLEAGUE else None,
        }
        subject = _(SUBJECTS[kind]) % {"consultant": branding.company_name}
        return _queue(
            submission=submission, kind=kind, to=recipient or submission.email,
            subject=subject, template="email/share", context=context,
            # Replies reach the consultant, not the site's no-reply sender.
            headers={"Reply-To": branding.email},
        )


def _checkup_notice(submission: Submission) -> dict[str, Any] | None:
    """For the visitor's own advice mail: the reminder they asked for, and how to stop it."""
    reminder = CheckupReminder.objects.filter(submission=submission, sent_at__isnull=True,
                                              opted_out_at__isnull=True).first()
    if reminder is None:
        return None
    return {"due_at": reminder.due_at, "stop_url": checkup_stop_url(reminder)}


def checkup_stop_url(reminder: CheckupReminder) -> str:
    return absolute_url(reverse("advisor:checkup_stop", args=[reminder.token]))


def queue_checkup_mail(*, submission: Submission, reminder: CheckupReminder,
                       valid_until: datetime) -> OutgoingMail:
    """Queue the one yearly check-up reminder: branded, in the visitor's language, the
    consultant as Reply-To, a link that opens the questionnaire with the earlier answers
    and a one-click way to stop (RFC 8058). Holds nothing the visitor typed."""
    with translation.override(submission.language):
        branding = get_branding()
        stop_url = checkup_stop_url(reminder)
        context = {
            "branding": branding,
            "start_url": absolute_url(reverse("advisor:checkup", args=[reminder.token])),
            "stop_url": stop_url,
            "submitted_at": submission.created_at,
            "valid_until": valid_until,
        }
        subject = _("Your yearly e-mail check-up from %(consultant)s") % {
            "consultant": branding.company_name}
        return _queue(
            submission=submission, kind=MailKind.CHECKUP, to=submission.email,
            subject=subject, template="email/checkup", context=context,
            headers={
                "Reply-To": branding.email,
                # Mail programs show their own "unsubscribe" button; its POST stops it
                # without a page, a login or a CSRF token (RFC 2369, RFC 8058).
                "List-Unsubscribe": f"<{stop_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )


def queue_share_mails(*, submission: Submission, recipients: list[str]) -> list[OutgoingMail]:
    """The advice mail again for the visitor's own address and/or a colleague: all of them,
    or (AddressLimitReached) none."""
    with transaction.atomic():
        # Every mailbox locked up front, in one order: two shares between the same two
        # people at once would otherwise each hold one lock and wait for the other.
        lock_mailboxes(recipients)
        mails = []
        for recipient in recipients:
            to_self = recipient.casefold() == submission.email.casefold()
            kind = MailKind.SHARE_SELF if to_self else MailKind.SHARE_COLLEAGUE
            mails.append(queue_advice_mail(submission=submission, kind=kind,
                                           recipient=recipient))
        return mails


# The code in the link that confirms the visitor's address: an HMAC of the report's token
# under the SECRET_KEY (and its fallbacks), so the result page, which has the token, cannot
# give it away, and nothing needs to be stored.
CONFIRMATION_SIGNER = Signer(salt="advisor.outbox.address-confirmation")


def confirmation_code(submission: Submission) -> str:
    return CONFIRMATION_SIGNER.signature(submission.token)


def is_confirmation_code(*, submission: Submission, code: str) -> bool:
    try:
        CONFIRMATION_SIGNER.unsign(f"{submission.token}{CONFIRMATION_SIGNER.sep}{code}")
    except BadSignature:
        return False
    return True


def confirmation_path(submission: Submission) -> str:
    return reverse("advisor:confirm_address",
                   args=[submission.token, confirmation_code(submission)])


def _queue(
    *, submission: Submission | None, kind: str, to: str, subject: str, template: str,
    context: dict[str, Any], headers: dict[str, str] | None = None,
) -> OutgoingMail:
    with transaction.atomic():
        # Every mail but the consultant's takes one of its address's places for today.
        if kind != MailKind.CONSULTANT:
            claim_mailbox(to)
        # Rendered now, in the caller's language and with the branding of this moment: the
        # mail says what the visitor was told it would say, whenever the worker gets to it.
        mail = OutgoingMail.objects.create(
            submission=submission,
            kind=kind,
            sender=settings.DEFAULT_FROM_EMAIL,
            recipient=to,
            recipient_key=mailbox_key(to),
            subject=one_line(subject),
            body_text=render_to_string(f"{template}.txt", context),
            body_html=render_to_string(f"{template}.html", context),
            headers=headers or {},
            message_id=message_id(),
        )
    schedule_delivery(mail=mail)
    return mail


def schedule_delivery(*, mail: OutgoingMail) -> None:
    """Defer ``deliver_mail`` for this mail once the current transaction commits."""
    from advisor.outbox.tasks import deliver_mail

    defer_on_commit(deliver_mail, queueing_lock=f"mail-{mail.pk}", mail_id=mail.pk)


def message_id() -> str:
    """A fixed, unique Message-ID for one mail, so a retried send is recognisable as the same.

    From the operating system's randomness, not email.utils.make_msgid: that one draws on the
    `random` module, which a re-seeded process (tests with hypothesis do) repeats.
    """
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<{secrets.token_hex(16)}@{domain}>"
