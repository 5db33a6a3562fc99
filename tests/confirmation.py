"""The visitor confirming their address the way a person does: the link in the advice mail
they received, then the button on the page it opens."""

import re
from urllib.parse import urlsplit

from django.test import Client

from advisor.models import MailKind, OutgoingMail, Submission

CONFIRM_LINK = re.compile(r"https?://\S+/bevestigen/[\w-]+/")


def confirmation_link(text: str) -> str:
    """The path of the "Confirm my address" link in a mail's text."""
    return urlsplit(CONFIRM_LINK.search(text).group(0)).path


def confirmation_path(submission: Submission) -> str:
    """The confirmation link in the advice mail written for this submission."""
    mail = OutgoingMail.objects.get(submission=submission, kind=MailKind.ADVICE)
    return confirmation_link(mail.body_text)


def confirm_by_mail(client: Client, submission: Submission) -> None:
    response = client.post(confirmation_path(submission))
    assert response.status_code == 302, response.status_code
    submission.refresh_from_db()
    assert submission.email_confirmed_at is not None
