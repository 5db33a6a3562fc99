"""Counting: one atomic increment of a daily row, on SQLite and PostgreSQL alike."""

from datetime import date

from django.db.models import F

from advisor.funnel.sources import Source
from advisor.models import FunnelCount, FunnelEvent

# Conversion per source needs the source of these two only; every other count is kept per
# day, language and step, which keeps the table small whatever campaigns bring in.
SOURCED_EVENTS = frozenset({FunnelEvent.STARTED, FunnelEvent.SUBMITTED})


def add(*, day: date, language: str, event: str, detail: str = "",
        source: Source | None = None, by: int = 1) -> None:
    """Add `by` (1, or -1 to take back a count) to the row of this day, language, event,
    detail and source, creating it when it is the first.

    Safe under concurrent requests without a lock: the UPDATE is `count = count + 1` in the
    database; a missing row is inserted as 0 with ON CONFLICT DO NOTHING (so a row inserted
    meanwhile by another request is kept) and then incremented the same way.
    """
    if source is None or event not in SOURCED_EVENTS:
        source = Source()
    key = {"day": day, "language": language, "event": event, "detail": detail,
           "source": source.source, "medium": source.medium, "campaign": source.campaign,
           "referrer": source.referrer}
    rows = FunnelCount.objects.filter(**key)
    if by < 0:
        # Never below zero: a row can only lose what it was given.
        rows.filter(count__gte=-by).update(count=F("count") + by)
        return
    if rows.update(count=F("count") + by):
        return
    FunnelCount.objects.bulk_create([FunnelCount(**key, count=0)], ignore_conflicts=True)
    rows.update(count=F("count") + by)
