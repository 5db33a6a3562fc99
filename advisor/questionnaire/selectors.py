"""Reading submissions for the public pages."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils import timezone

from advisor.models import Submission


def shared_submission_or_404(token: str) -> Submission:
    """The submission behind a report link, or 404 when the link is unknown, expired or revoked."""
    live = Submission.objects.filter(link_expires_at__gt=timezone.now(),
                                     link_revoked_at__isnull=True)
    return get_object_or_404(live, token=token)


def shares_left(submission: Submission) -> int:
    """How many more report e-mails this report may send."""
    return max(0, settings.SHARE_MAX_PER_REPORT - submission.share_count)
