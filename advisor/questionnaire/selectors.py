"""Reading submissions for the public pages."""

import re
from collections.abc import Sequence

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from advisor.models import MailKind, OutgoingMail, Submission

# new_token(): URL-safe base64 without padding.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def shared_submission_or_404(token: str, *, only: Sequence[str] = ()) -> Submission:
    """The submission behind a report link, or 404 when the link is unknown, expired or revoked.

    ``only`` loads just those columns (the status poll's few), under the same test of the link.
    """
    if not TOKEN_SHAPE.fullmatch(token):
        # Never a token (a NUL byte would even make PostgreSQL refuse the query): 404 at once.
        raise Http404
    live = Submission.objects.filter(link_expires_at__gt=timezone.now(),
                                     link_revoked_at__isnull=True)
    if only:
        return get_object_or_404(live.only(*only), token=token)
    # The check-up opt-in in the same query: the result page shows it (checkup_status).
    return get_object_or_404(live.select_related("checkup"), token=token)


OWN_ADDRESS = (MailKind.ADVICE, MailKind.SHARE_SELF)


def result_mails(submission: Submission) -> list[OutgoingMail]:
    """The mails the result page tells about, oldest first, in one query: the advice and
    the shares to the visitor's own address and to a colleague (share_options and
    advice_mail_status read them)."""
    return list(
        submission.mails.filter(kind__in=(*OWN_ADDRESS, MailKind.SHARE_COLLEAGUE))
        .only("kind", "recipient", "status", "created_at", "submission_id")
        .order_by("created_at", "pk")
    )


def advice_mail_status(mails: list[OutgoingMail]) -> OutgoingMail | None:
    """The latest mail with the advice to the visitor's own address, for the result page,
    from the page's `result_mails`."""
    return next((mail for mail in reversed(mails) if mail.kind in OWN_ADDRESS), None)
