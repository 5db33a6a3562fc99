"""Outgoing e-mail. Every mail is queued in the outbox (django-post-office) and sent by the
worker, so a submission or a share never waits for, or fails on, the SMTP server."""

from email.utils import make_msgid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from post_office.models import PRIORITY, STATUS, Email

from advisor.advice import table as q
from advisor.advice.engine import Advice
from advisor.consultant.branding import get_branding
from advisor.models import Submission


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def consultant_address() -> str:
    return settings.CONSULTANT_EMAIL or get_branding().email


def one_line(text: str) -> str:
    """Visitor text for a mail header: whitespace and line breaks collapsed to single spaces."""
    return " ".join(text.split())


def queue_consultant_notification(*, submission: Submission) -> Email:
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
            "admin_url": absolute_url(
                reverse("admin:advisor_submission_change", args=[submission.pk])
            ),
        }
        subject = _("New e-mail advice request: %(company)s") % {
            "company": one_line(submission.company)
        }
        return _queue(to=consultant_address(), subject=subject,
                      template="email/consultant_notification", context=context)


def queue_share_mails(*, submission: Submission, recipients: list[str]) -> list[Email]:
    """Queue the fixed, branded mail with the result-page link, in the visitor's language.

    Nothing the visitor typed goes in except the company name (escaped), so the form
    cannot be used to send someone a message of the visitor's choosing.
    """
    with translation.override(submission.language):
        branding = get_branding()
        context = {
            "branding": branding,
            "company": submission.company,
            "result_url": absolute_url(submission.get_absolute_url()),
            "expires_at": submission.link_expires_at,
        }
        emails = []
        for recipient in recipients:
            to_self = recipient.casefold() == submission.email.casefold()
            if to_self:
                subject = _("Your e-mail advice from %(consultant)s")
            else:
                subject = _("E-mail advice shared with you via %(consultant)s")
            emails.append(_queue(
                to=recipient,
                subject=subject % {"consultant": branding.company_name},
                template="email/share",
                context={**context, "to_self": to_self},
                # Replies reach the consultant, not the site's no-reply sender.
                headers={"Reply-To": branding.email},
            ))
        return emails


def _queue(
    *, to: str, subject: str, template: str, context: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> Email:
    # Not post_office.mail.send(): it renders subject and body again as Django templates,
    # which would run any "{% ... %}" a visitor typed into the company name.
    return Email.objects.create(
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        subject=one_line(subject),
        message=render_to_string(f"{template}.txt", context),
        html_message=render_to_string(f"{template}.html", context),
        status=STATUS.queued,
        priority=PRIORITY.medium,
        headers=headers,
        # A fixed Message-ID lets mail servers recognise a retried mail as the same one.
        message_id=make_msgid(domain=urlsplit(settings.SITE_URL).hostname or "localhost"),
    )
