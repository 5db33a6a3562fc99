"""The back office dashboard: figures over all leads, shaped for server-rendered SVG charts.

Each chart is a list of bars with their sizes already computed, so the template only draws.
The counts are a few grouped COUNT queries. Those of the leads that came in before today are
cached under the leads' generation (models.LEAD_FIGURES, advanced by whatever changes a
follow-up or deletes leads) and today's are counted on every view: a new lead needs no new
cache, and a view reads at most a day of leads, whatever the number of leads.
"""

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from advisor.advice.labels import PLAN_CHOICES, VERDICT_CHOICES, choices_of
from advisor.backoffice.leads import OVERDUE, follow_up_filter
from advisor.models import LEAD_FIGURES, FollowUpStatus, Submission

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

# A change made past the services (by hand in the database) shows within this time.
COUNTS_CACHE_SECONDS = 3600


@dataclass(frozen=True)
class LeadCounts:
    """What the dashboard counts, of some of the leads; the counts of two parts add up."""

    statuses: Counter[str]
    verdicts: Counter[str]
    sectors: Counter[str]
    plans: Counter[str]
    weeks: tuple[int, ...]  # the chart's weeks, oldest first
    overdue: int

    def __add__(self, other: "LeadCounts") -> "LeadCounts":
        return LeadCounts(
            statuses=self.statuses + other.statuses, verdicts=self.verdicts + other.verdicts,
            sectors=self.sectors + other.sectors, plans=self.plans + other.plans,
            weeks=tuple(a + b for a, b in zip(self.weeks, other.weeks, strict=True)),
            overdue=self.overdue + other.overdue,
        )


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def week_starts(*, today: date) -> list[date]:
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]


def _week_counts(leads: QuerySet[Submission], *, today: date) -> tuple[int, ...]:
    weeks = week_starts(today=today)
    # Local midnights as bounds, counted in one query: no per-row date function.
    bounds = [local_midnight(week) for week in [*weeks, weeks[-1] + timedelta(weeks=1)]]
    counts = leads.filter(created_at__gte=bounds[0]).aggregate(**{
        f"w{index}": Count("id", filter=Q(created_at__gte=start, created_at__lt=end))
        for index, (start, end) in enumerate(pairwise(bounds))
    })
    return tuple(counts[f"w{index}"] for index in range(WEEKS))


def count_leads(leads: QuerySet[Submission], *, today: date) -> LeadCounts:
    """Three queries: one grouped COUNT for the splits, one for the weeks, one for overdue,
    each reading an index alone (submission_created_idx holds what they count)."""
    splits = {name: Counter() for name in ("status", "verdict", "sector", "plan")}
    for row in leads.order_by().values(*splits).annotate(n=Count("id")):
        for name, counter in splits.items():
            counter[row[name]] += row["n"]
    return LeadCounts(
        statuses=splits["status"], verdicts=splits["verdict"], sectors=splits["sector"],
        plans=splits["plan"], weeks=_week_counts(leads, today=today),
        overdue=follow_up_filter(leads, due=OVERDUE, today=today).count(),
    )


# The cached counts' shape: a release that changes it never reads an older release's.
COUNTS_SHAPE = hashlib.sha256(
    repr(([field.name for field in fields(LeadCounts)], WEEKS)).encode()).hexdigest()[:12]


def lead_counts(*, today: date) -> LeadCounts:
    """The counts of all leads: those that came in before today from the cache (computed on
    the first view after a change), today's counted now."""
    midnight = local_midnight(today)
    # Read before counting: a change while this view counts makes its entry one nobody reads.
    key = ":".join(("dashboard-counts", COUNTS_SHAPE, LEAD_FIGURES.token(), today.isoformat(),
                    timezone.get_current_timezone_name()))
    earlier = cache.get(key)
    if earlier is None:
        earlier = count_leads(Submission.objects.filter(created_at__lt=midnight), today=today)
        cache.set(key, earlier, COUNTS_CACHE_SECONDS)
    return earlier + count_leads(Submission.objects.filter(created_at__gte=midnight),
                                 today=today)


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
    counts = lead_counts(today=today)
    statuses = counts.statuses
    total = sum(statuses.values())
    weeks = week_columns(counts.weeks, today=today)
    return {
        "total": total,
        "this_week": weeks[-1].value,
        "overdue": counts.overdue,
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
