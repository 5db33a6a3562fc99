"""What a visitor may e-mail to whom from the result page, and how often.

The policy, in the order it is checked:

1. The advice mail after the contact step goes once to the address that was typed, carrying
   a link that confirms the address. If that address had its mails for today
   (MAILS_PER_ADDRESS_PER_DAY, outbox/limits.py), it is not sent, and the result page offers
   to send it later: still once.
2. Until someone has pressed "Confirm my address" behind that link, nothing else is sent.
   A link scanner that opens every link in a mail presses no button, so "confirmed" means a
   person (or software acting for them) who reads that mailbox asked for more.
3. Once confirmed: the advice again to the own address, and to one colleague per report (a
   colleague whose mail could not be delivered frees the place), at most
   SHARE_MAX_PER_REPORT mails per report, SHARE_RATE_PER_IP requests per client and
   MAILS_PER_ADDRESS_PER_DAY mails per recipient in any 24 hours, across all reports.

No mail to a visitor or colleague holds text the visitor typed (outbox/mail.py).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from advisor.models import MailKind, MailStatus, OutgoingMail, Submission
from advisor.outbox.mail import queue_advice_mail, queue_share_mails

# Why a request to send is refused (AddressLimitReached, from the outbox, is the fourth).
NOT_CONFIRMED = "not_confirmed"
COLLEAGUE_ALREADY = "colleague_already"
REPORT_LIMIT = "report_limit"

# Where a report stands, for the result page.
REQUEST_ADVICE = "request_advice"  # the first advice mail was held back by the address limit
CONFIRM_FIRST = "confirm_first"  # the advice mail is on its way or arrived, not confirmed yet
UNDELIVERABLE = "undeliverable"  # the advice mail could not be delivered: nothing to confirm
OPEN = "open"  # confirmed: the visitor may send
USED_UP = "used_up"  # confirmed, and the report has sent all the mails it may


class ShareRefused(Exception):
    """The policy does not allow this send; ``reason`` is one of the constants above."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ShareOptions:
    """What the visitor of one report may send now."""

    email: str
    confirmed: bool
    advice_queued: bool  # the first advice mail was written, whatever became of it
    advice_failed: bool
    colleague: str  # the colleague it was shared with (on its way or delivered), or ""
    colleague_failed: str  # a colleague address that could not be reached, or ""
    shares_left: int

    @property
    def state(self) -> str:
        if not self.confirmed:
            if not self.advice_queued:
                return REQUEST_ADVICE
            return UNDELIVERABLE if self.advice_failed else CONFIRM_FIRST
        return OPEN if self.shares_left else USED_UP

    @property
    def can_add_colleague(self) -> bool:
        return self.state == OPEN and not self.colleague

    @property
    def can_send_again(self) -> bool:
        return self.state == OPEN


def share_options(submission: Submission,
                  mails: list[OutgoingMail] | None = None) -> ShareOptions:
    """What the visitor may send now; from `mails` (selectors.result_mails, oldest first)
    when the page has read them already."""
    if mails is None:
        mails = list(submission.mails.filter(
            kind__in=(MailKind.ADVICE, MailKind.SHARE_COLLEAGUE)
        ).order_by("created_at", "pk").values_list("kind", "status", "recipient"))
    else:
        mails = [(mail.kind, mail.status, mail.recipient) for mail in mails]
    advice = [status for kind, status, _to in mails if kind == MailKind.ADVICE]
    colleagues = [(status, to) for kind, status, to in mails if kind == MailKind.SHARE_COLLEAGUE]
    reached = [to for status, to in colleagues if status != MailStatus.FAILED]
    failed = [to for status, to in colleagues if status == MailStatus.FAILED]
    return ShareOptions(
        email=submission.email,
        confirmed=submission.email_confirmed_at is not None,
        advice_queued=bool(advice),
        advice_failed=bool(advice) and advice[-1] == MailStatus.FAILED,
        colleague=reached[0] if reached else "",
        colleague_failed=failed[-1] if failed and not reached else "",
        shares_left=max(0, settings.SHARE_MAX_PER_REPORT - submission.share_count),
    )


def refusal(options: ShareOptions, *, colleague: bool, mails: int = 1) -> str | None:
    """Why sending `mails` mails (a colleague among them or not) is not allowed, or None."""
    if not options.confirmed:
        # Only the first advice mail, held back earlier, may go before confirmation.
        return NOT_CONFIRMED if colleague or options.advice_queued else None
    if colleague and options.colleague:
        return COLLEAGUE_ALREADY
    if options.shares_left < mails:
        return REPORT_LIMIT
    return None


@transaction.atomic
def share_report(*, submission: Submission, to_self: bool, colleague: str = "") -> list[str]:
    """Queue the report link for the visitor's own address and/or one colleague, as the policy
    allows; returns the addresses. Raises ShareRefused or AddressLimitReached (outbox) and
    then queues nothing."""
    if colleague.casefold() == submission.email.casefold():
        to_self, colleague = True, ""
    if not to_self and not colleague:
        return []
    # The row lock makes a second share of this report wait, then see what this one did.
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    options = share_options(locked)
    recipients = [locked.email] if to_self else []
    recipients += [colleague] if colleague else []
    reason = refusal(options, colleague=bool(colleague), mails=len(recipients))
    if reason:
        raise ShareRefused(reason)
    if not options.confirmed:
        queue_advice_mail(submission=locked)  # the first advice mail, late
        return recipients
    queue_share_mails(submission=locked, recipients=recipients)
    Submission.objects.filter(pk=locked.pk).update(
        share_count=F("share_count") + len(recipients))
    submission.refresh_from_db(fields=["share_count"])
    return recipients


def confirm_address(*, submission: Submission) -> Submission:
    """Someone pressed "Confirm my address" behind the link in the advice mail."""
    Submission.objects.filter(pk=submission.pk, email_confirmed_at__isnull=True).update(
        email_confirmed_at=timezone.now())
    submission.refresh_from_db(fields=["email_confirmed_at"])
    return submission
