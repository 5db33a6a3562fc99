"""The back office dashboard: figures over all leads, shaped for server-rendered SVG charts.

Each chart is a list of bars with their sizes already computed, so the template only draws.
A handful of grouped COUNT queries, whatever the number of leads.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from advisor.advice.labels import PLAN_CHOICES, VERDICT_CHOICES, choices_of
from advisor.backoffice.leads import OVERDUE, follow_up_filter
from advisor.models import FollowUpStatus, Submission

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


def _counts(field: str) -> dict[str, int]:
    rows = Submission.objects.order_by().values(field).annotate(n=Count("id"))
    return {row[field]: row["n"] for row in rows}


def week_columns(*, today: date) -> list[Column]:
    monday = today - timedelta(days=today.weekday())
    weeks = [monday - timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]
    # Local midnights as bounds, counted in one query: no per-row date function.
    bounds = [timezone.make_aware(datetime.combine(week, time.min)) for week in weeks]
    bounds.append(timezone.make_aware(datetime.combine(monday + timedelta(weeks=1), time.min)))
    counts = Submission.objects.filter(created_at__gte=bounds[0]).aggregate(**{
        f"w{index}": Count("id", filter=Q(created_at__gte=start, created_at__lt=end))
        for index, (start, end) in enumerate(pairwise(bounds))
    })
    largest = max(counts.values(), default=0) or 1
    slot = WEEK_CHART_WIDTH / WEEKS
    plot_height = WEEK_CHART_HEIGHT - WEEK_AXIS_HEIGHT
    columns = []
    for index, week in enumerate(weeks):
        value = counts[f"w{index}"]
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
    statuses = _counts("status")
    total = sum(statuses.values())
    weeks = week_columns(today=today)
    return {
        "total": total,
        "this_week": weeks[-1].value,
        "overdue": follow_up_filter(Submission.objects.all(), due=OVERDUE, today=today).count(),
        "customers": statuses.get(FollowUpStatus.CUSTOMER, 0),
        "lost": statuses.get(FollowUpStatus.LOST, 0),
        "weeks": weeks,
        # A little room on the right for the newest week's label.
        "week_chart": {"width": WEEK_CHART_WIDTH, "view_width": WEEK_CHART_WIDTH + 24,
                       "height": WEEK_CHART_HEIGHT,
                       "axis_y": WEEK_CHART_HEIGHT - WEEK_AXIS_HEIGHT + 15,
                       "baseline": WEEK_CHART_HEIGHT - WEEK_AXIS_HEIGHT},
        "verdicts": bars(_counts("verdict"), VERDICT_CHOICES),
        "sectors": bars(_counts("sector"), choices_of("sector", short=True)),
        "plans": bars(_counts("plan"), PLAN_CHOICES),
        "statuses": bars(statuses, FollowUpStatus.choices),
        "funnel": funnel(statuses),
    }
