"""The back office dashboard: figures over all leads, shaped for server-rendered SVG charts.

Each chart is a list of bars with their sizes already computed, so the template only draws.
The counts are kept a week of leads at a time (local weeks, Monday to Monday), each in the
cache under the generation of that week (models.LEAD_WEEKS, advanced by whatever changes a
lead's follow-up or deletes it): the first view after a change counts that week again, not
all leads. This week until today is cached under today's date, and today's leads are counted
on every view, so a new lead needs no new cache. A view reads at most a week of leads (the
first view of a day: the days of this week before today), whatever the number of leads.
"""

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from advisor.advice.labels import PLAN_CHOICES, VERDICT_CHOICES, choices_of
from advisor.models import (
    LEAD_FIGURES,
    LEAD_WEEKS,
    OPEN_STATUSES,
    FollowUpStatus,
    Submission,
    lead_weeks_between,
)

WEEKS = 26
# Column chart geometry, in SVG user units.
WEEK_CHART_WIDTH = 780
WEEK_CHART_HEIGHT = 200
WEEK_AXIS_HEIGHT = 22
WEEK_LABEL_EVERY = 4

# Reached at least this stage; "lost" can happen at any stage, so it stands apart.
FUNNEL_STAGES: tuple[tuple[Promise, tuple[str, ...]], ...] = (
    (_("All leads"), tuple(FollowUpStatus.values)),
    (_("Contacted"), (FollowUpStatus.CONTACTED, FollowUpStatus.PROPOSAL_SENT,
                      FollowUpStatus.CUSTOMER)),
    (_("Proposal sent"), (FollowUpStatus.PROPOSAL_SENT, FollowUpStatus.CUSTOMER)),
    (_("Customer"), (FollowUpStatus.CUSTOMER,)),
)


def svg_number(value: float) -> str:
    # SVG wants "12.5" whatever the language; a template would print "12,5" in Dutch.
    return f"{value:.1f}"


@dataclass(frozen=True)
class Bar:
    key: str
    label: Promise | str
    value: int
    percent: int  # share of the total, for the text
    length: str  # share of the largest bar, 0-100, for the drawing


@dataclass(frozen=True)
class Column:
    label: str
    value: int
    x: str
    y: str
    width: str
    height: str
    label_x: str
    show_label: bool


def bars(counts: dict[str, int], labels: Iterable[tuple[str, Promise | str]]) -> list[Bar]:
    total = sum(counts.values()) or 1
    largest = max(counts.values(), default=0) or 1
    return [
        Bar(key, label, counts.get(key, 0), round(100 * counts.get(key, 0) / total),
            svg_number(100 * counts.get(key, 0) / largest))
        for key, label in labels
    ]


# --- Counting -------------------------------------------------------------------------------

# Kept this long, unless a change makes a week's counts stale first (models.LEAD_WEEKS). Long,
# so the first view of a day or after a quiet weekend counts no more than a week. A change
# made past the services (an UPDATE in psql) shows within this time, or at once after
# LEAD_FIGURES.advance() (docs/performance.md).
COUNTS_CACHE_SECONDS = 7 * 24 * 3600
# The sum of the weeks: its key changes every day anyway (this week until today is in it),
# and a shorter life keeps the sums that changes left behind from filling the cache.
SUM_CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class LeadCounts:
    """What the dashboard counts, of some of the leads; the counts of two parts add up."""

    statuses: Counter[str]
    verdicts: Counter[str]
    sectors: Counter[str]
    plans: Counter[str]
    total: int
    # Open leads (not yet customer or lost) by the date of their next follow-up: which of
    # them are overdue depends on the day of the view, these counts do not.
    follow_ups: Counter[date]

    def __add__(self, other: "LeadCounts") -> "LeadCounts":
        return LeadCounts(
            statuses=self.statuses + other.statuses, verdicts=self.verdicts + other.verdicts,
            sectors=self.sectors + other.sectors, plans=self.plans + other.plans,
            total=self.total + other.total, follow_ups=self.follow_ups + other.follow_ups,
        )

    def overdue(self, *, today: date) -> int:
        return sum(n for day, n in self.follow_ups.items() if day < today)


NO_LEADS = LeadCounts(Counter(), Counter(), Counter(), Counter(), 0, Counter())


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def week_starts(*, today: date) -> list[date]:
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]


def leads_between(first: date, end: date) -> QuerySet[Submission]:
    """The leads that came in from the local midnight of `first` until that of `end`: a range
    of submission_created_idx, with local midnights as bounds (no per-row date function)."""
    return Submission.objects.filter(created_at__gte=local_midnight(first),
                                     created_at__lt=local_midnight(end))


def count_leads(leads: QuerySet[Submission]) -> LeadCounts:
    """Two grouped COUNTs that read submission_created_idx alone (it holds every column
    here), each returning a few hundred rows at most however many leads: the splits, and
    the open leads by follow-up date."""
    splits = {name: Counter() for name in ("status", "verdict", "sector", "plan")}
    for row in leads.order_by().values(*splits).annotate(n=Count("id")):
        for name, counter in splits.items():
            counter[row[name]] += row["n"]
    open_leads = leads.filter(status__in=OPEN_STATUSES, next_follow_up__isnull=False)
    follow_ups = Counter({
        row["next_follow_up"]: row["n"]
        for row in open_leads.order_by().values("next_follow_up").annotate(n=Count("id"))
    })
    return LeadCounts(
        statuses=splits["status"], verdicts=splits["verdict"], sectors=splits["sector"],
        plans=splits["plan"], total=splits["status"].total(), follow_ups=follow_ups,
    )


# A span of local days, first day included, end excluded: a week, or this week until today.
Span = tuple[date, date]


@dataclass(frozen=True)
class Summed:
    """The counts of some spans added up, and each span's number of leads by its first day."""

    counts: LeadCounts
    totals: dict[date, int]


# The cached counts' shape: a release that changes it never reads an older release's.
COUNTS_SHAPE = hashlib.sha256(repr(
    [[field.name for field in fields(shape)] for shape in (LeadCounts, Summed)]
).encode()).hexdigest()[:12]


def _summed_counts(spans: list[Span]) -> Summed:
    """The counts of these spans: each from the cache or counted now (and then cached), under
    the generations of the weeks its leads are in, so a change counts only its week again;
    and their sum cached under all their keys, so a usual view reads one entry, not one a
    week."""
    weeks_of = {span: lead_weeks_between(local_midnight(span[0]), local_midnight(span[1]))
                for span in spans}
    # Read before counting: a change while this view counts makes its entry one nobody reads.
    tokens = LEAD_WEEKS.tokens({week for weeks in weeks_of.values() for week in weeks})
    common = ("dashboard-counts", COUNTS_SHAPE, LEAD_FIGURES.token(),
              timezone.get_current_timezone_name())
    keys = {span: ":".join((*common, span[0].isoformat(), span[1].isoformat(),
                            *(tokens[week] for week in weeks_of[span])))
            for span in spans}
    sum_key = "dashboard-sum:" + hashlib.sha256("|".join(keys.values()).encode()).hexdigest()
    summed = cache.get(sum_key)
    if summed is None:
        found = cache.get_many(keys.values())
        counts = {span: found[key] for span, key in keys.items() if key in found}
        counted = {span: count_leads(leads_between(*span))
                   for span in spans if span not in counts}
        if counted:
            cache.set_many({keys[span]: value for span, value in counted.items()},
                           COUNTS_CACHE_SECONDS)
        counts |= counted
        summed = Summed(sum(counts.values(), NO_LEADS),
                        {first: value.total for (first, _end), value in counts.items()})
        cache.set(sum_key, summed, SUM_CACHE_SECONDS)
    return summed


@dataclass(frozen=True)
class Figures:
    """All leads' counts, and the chart's weeks (oldest first)."""

    counts: LeadCounts
    weeks: tuple[int, ...]


def lead_counts(*, today: date) -> Figures:
    """The counts of all leads: a week at a time from the cache (each counted on the first
    view after a change in it), this week until today likewise under today's date, and
    today's counted on every view. A view reads at most a week of leads, however many."""
    # The oldest lead, from the end of submission_created_idx: where the weeks begin.
    oldest = Submission.objects.order_by("created_at").values_list(
        "created_at", flat=True).first()
    if oldest is None:
        return Figures(NO_LEADS, (0,) * WEEKS)
    monday = today - timedelta(days=today.weekday())
    first_day = timezone.localdate(oldest)
    first_monday = first_day - timedelta(days=first_day.weekday())
    spans = [(week, week + timedelta(weeks=1))
             for week in (first_monday + timedelta(weeks=n)
                          for n in range(max(0, (monday - first_monday).days // 7)))]
    if monday < today:
        spans.append((monday, today))
    summed = _summed_counts(spans)
    todays = count_leads(leads_between(today, today + timedelta(days=1)))
    weeks = tuple(summed.totals.get(week, 0) for week in week_starts(today=today))
    return Figures(summed.counts + todays, (*weeks[:-1], weeks[-1] + todays.total))


# --- Charts ---------------------------------------------------------------------------------


def week_columns(counts: tuple[int, ...], *, today: date) -> list[Column]:
    largest = max(counts, default=0) or 1
    slot = WEEK_CHART_WIDTH / WEEKS
    plot_height = WEEK_CHART_HEIGHT - WEEK_AXIS_HEIGHT
    columns = []
    for index, (week, value) in enumerate(zip(week_starts(today=today), counts, strict=True)):
        height = plot_height * value / largest
        columns.append(Column(
            label=formats.date_format(week, "j M"),
            value=value,
            x=svg_number(index * slot + slot * 0.15),
            y=svg_number(plot_height - height),
            width=svg_number(slot * 0.7),
            height=svg_number(height),
            label_x=svg_number(index * slot + slot / 2),
            # Counted back from this week, so the newest week always has its label.
            show_label=(WEEKS - 1 - index) % WEEK_LABEL_EVERY == 0,
        ))
    return columns


def funnel(statuses: dict[str, int]) -> list[Bar]:
    counts = {str(label): sum(statuses.get(s, 0) for s in members)
              for label, members in FUNNEL_STAGES}
    total = counts[str(FUNNEL_STAGES[0][0])] or 1
    return [
        Bar(str(label), label, counts[str(label)], round(100 * counts[str(label)] / total),
            svg_number(100 * counts[str(label)] / total))
        for label, _members in FUNNEL_STAGES
    ]


def dashboard_figures(*, today: date) -> dict[str, object]:
    figures = lead_counts(today=today)
    counts = figures.counts
    statuses = counts.statuses
    weeks = week_columns(figures.weeks, today=today)
    return {
        "total": counts.total,
        "this_week": weeks[-1].value,
        "overdue": counts.overdue(today=today),
        "customers": statuses.get(FollowUpStatus.CUSTOMER, 0),
        "lost": statuses.get(FollowUpStatus.LOST, 0),
        "weeks": weeks,
        # A little room on the right for the newest week's label.
        "week_chart": {"width": WEEK_CHART_WIDTH, "view_width": WEEK_CHART_WIDTH + 24,
                       "height": WEEK_CHART_HEIGHT,
                       "axis_y": WEEK_CHART_HEIGHT - WEEK_AXIS_HEIGHT + 15,
                       "baseline": WEEK_CHART_HEIGHT - WEEK_AXIS_HEIGHT},
        "verdicts": bars(counts.verdicts, VERDICT_CHOICES),
        "sectors": bars(counts.sectors, choices_of("sector", short=True)),
        "plans": bars(counts.plans, PLAN_CHOICES),
        "statuses": bars(statuses, FollowUpStatus.choices),
        "funnel": funnel(statuses),
    }
