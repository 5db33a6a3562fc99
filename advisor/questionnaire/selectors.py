"""Reading submissions for the public pages."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from advisor.lib.fragments import digest_of
from advisor.models import CheckupReminder, MailKind, OutgoingMail, Submission

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
# The mails the result page tells about (result_mails).
RESULT_MAIL_KINDS = (*OWN_ADDRESS, MailKind.SHARE_COLLEAGUE)
# Written once, when the questionnaire is submitted (the advice "as given"), and never
# changed: the link's token stands for them, and they are the row's widest columns.
FIXED_AT_SUBMISSION = ("answers", "advice")
# The mails' columns the result page reads (result_mails).
RESULT_MAIL_COLUMNS = ("kind", "status", "recipient", "created_at")


@dataclass(frozen=True)
class ResultPageState:
    """What a result page shows, as stored, without the objects: the submission's id, and
    the digest of its row, its check-up reminder's and its mails' columns as they are now."""

    pk: int
    token: str
    digest: str


@cache
def _state_sql(vendor: str) -> str:
    """The one statement behind result_page_state, built from the models' own tables and
    columns. Written out rather than built by the ORM on every request: compiling the query
    cost as much as running it (0.45 ms of a page that may cost about 3 ms)."""
    name = connection.ops.quote_name
    submission, checkup, mail = (model._meta for model in (Submission, CheckupReminder,
                                                           OutgoingMail))
    # Every column but the fixed ones, so a column added later is part of the digest.
    columns = [f"s.{name(submission.pk.column)}"]
    columns += [f"CAST(s.{name(field.column)} AS TEXT)" for field in submission.concrete_fields
                if field.name not in FIXED_AT_SUBMISSION]
    columns += [f"CAST(c.{name(field.column)} AS TEXT)" for field in checkup.concrete_fields]
    columns += [f"CAST(m.{name(mail.get_field(column).column)} AS TEXT)"
                for column in ("id", *RESULT_MAIL_COLUMNS)]
    kinds = ", ".join(["%s"] * len(RESULT_MAIL_KINDS))
    return (
        f"SELECT {', '.join(columns)} FROM {name(submission.db_table)} s "
        f"LEFT JOIN {name(checkup.db_table)} c "
        f"ON c.{name(checkup.get_field('submission').column)} = s.{name(submission.pk.column)} "
        f"LEFT JOIN {name(mail.db_table)} m "
        f"ON m.{name(mail.get_field('submission').column)} = s.{name(submission.pk.column)} "
        f"AND m.{name(mail.get_field('kind').column)} IN ({kinds}) "
        f"WHERE s.{name(submission.get_field('token').column)} = %s "
        f"AND s.{name(submission.get_field('link_expires_at').column)} > %s "
        f"AND s.{name(submission.get_field('link_revoked_at').column)} IS NULL "
        f"ORDER BY m.{name(mail.get_field('created_at').column)}, "
        f"m.{name(mail.pk.column)}"
    )


def result_page_state(token: str) -> ResultPageState:
    """The state of the result page behind a report link, in one statement; 404 as
    shared_submission_or_404 when the link is unknown, expired or revoked."""
    if not TOKEN_SHAPE.fullmatch(token):
        raise Http404
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(_state_sql(connection.vendor),
                       [*(str(kind) for kind in RESULT_MAIL_KINDS), token, now])
        rows = cursor.fetchall()
    if not rows:
        raise Http404
    return ResultPageState(pk=int(rows[0][0]), token=token, digest=digest_of(rows))


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
