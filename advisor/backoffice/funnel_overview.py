"""The dashboard's funnel: where visitors leave the questionnaire, how completion goes over
time, and leads and conversion per source, from the funnel's daily counts (advisor/funnel).

Shaped for server-rendered SVG like the rest of the dashboard; every chart comes with its
figures as a table.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from advisor.backoffice.admin import as_download
from advisor.backoffice.dashboard import Bar, Column, svg_number
from advisor.backoffice.leads import source_filter_value
from advisor.funnel import export
from advisor.funnel.export import TOTAL_LABELS, percent, source_label, step_label
from advisor.funnel.report import funnel_report, period_ending
from advisor.models import FunnelEvent

# The periods the consultant can choose, in days (today included).
PERIODS = (7, 30, 90, 365)
DEFAULT_DAYS = 30
# Up to a month a column per day; longer periods a column per week.
DAILY_UP_TO = 31
SOURCES_SHOWN = 15
RATE_CHART_WIDTH = 780
RATE_CHART_HEIGHT = 180
RATE_AXIS_HEIGHT = 22
RATE_LABELS = 8  # about this many dates under the columns
AFTER_THE_ADVICE = (FunnelEvent.RESULT_VIEWED, FunnelEvent.PDF_DOWNLOADED, FunnelEvent.SHARED,
                    FunnelEvent.CTA_CLICKED)
LANGUAGE_NAMES = dict(settings.LANGUAGES)
BUTTON_LABELS = {"book": gettext_lazy("Book an appointment"), "call": gettext_lazy("Call"),
                 "mail": gettext_lazy("E-mail")}


def period_days(value: str | None) -> int:
    """The chosen period from the query string; anything else is the default."""
    return int(value) if value in {str(days) for days in PERIODS} else DEFAULT_DAYS


@dataclass(frozen=True)
class StepRow:
    number: int
    label: str
    reached: int
    completed: int
    left: int  # reached but not completed: the visitors this step lost
    left_percent: int  # of those who reached it
    reached_length: str  # of all who started, 0-100, for the drawing
    completed_length: str


@dataclass(frozen=True)
class RateColumn(Column):
    """A column of the completion rate: `value` is the rate in whole percents."""

    started: int
    submitted: int
    rate: str  # "41,7" in Dutch; "" without starts


def _share(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def step_rows(report: dict[str, Any]) -> list[StepRow]:
    started = report["started"] or 1
    rows = []
    for number, entry in enumerate(report["steps"], start=1):
        reached, completed = entry["reached"], entry["completed"]
        left = max(reached - completed, 0)
        rows.append(StepRow(
            number, step_label(entry["step"]), reached, completed, left, _share(left, reached),
            svg_number(min(100, 100 * reached / started)),
            svg_number(min(100, 100 * completed / started))))
    return rows


def _buckets(days: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """(label, days) per column: a day each up to a month, else a week (from Monday)."""
    if len(days) <= DAILY_UP_TO:
        return [(formats.date_format(date.fromisoformat(day["date"]), "j M"), [day])
                for day in days]
    weeks: dict[date, list[dict[str, Any]]] = {}
    for day in days:
        moment = date.fromisoformat(day["date"])
        weeks.setdefault(moment - timedelta(days=moment.weekday()), []).append(day)
    return [(formats.date_format(monday, "j M"), members) for monday, members in weeks.items()]


def rate_columns(report: dict[str, Any]) -> list[RateColumn]:
    """The completion rate (submitted / started) per day or week, as columns of 0-100%."""
    buckets = _buckets(report["days"])
    slot = RATE_CHART_WIDTH / max(len(buckets), 1)
    plot = RATE_CHART_HEIGHT - RATE_AXIS_HEIGHT
    every = max(1, round(len(buckets) / RATE_LABELS))
    columns = []
    for index, (label, members) in enumerate(buckets):
        started = sum(day["started"] for day in members)
        submitted = sum(day["submitted"] for day in members)
        rate = min(submitted / started, 1) if started else 0
        columns.append(RateColumn(
            label=label, value=round(100 * rate), started=started, submitted=submitted,
            rate=percent(submitted / started) if started else "",
            x=svg_number(index * slot + slot * 0.15), y=svg_number(plot - plot * rate),
            width=svg_number(slot * 0.7), height=svg_number(plot * rate),
            label_x=svg_number(index * slot + slot / 2),
            # Counted back from the newest, so the last column always has its date.
            show_label=(len(buckets) - 1 - index) % every == 0,
        ))
    return columns


def after_the_advice(report: dict[str, Any]) -> list[Bar]:
    """What visitors did with their advice, as a share of the submissions."""
    submitted = report["submitted"]
    return [Bar(str(event), TOTAL_LABELS[event], report[event], _share(report[event], submitted),
                svg_number(min(100, 100 * report[event] / (submitted or 1))))
            for event in AFTER_THE_ADVICE]


def source_rows(report: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The sources with the most leads, each linking to its leads; the rest summed."""
    shown, rest = report["sources"][:SOURCES_SHOWN], report["sources"][SOURCES_SHOWN:]
    rows = [{"label": source_label(entry), "started": entry["started"],
             "submitted": entry["submitted"], "conversion": percent(entry["conversion"]),
             "filter": source_filter_value(source=entry["source"], referrer=entry["referrer"]),
             "detail": entry["referrer"] if entry["source"] else ""}
            for entry in shown]
    others = None
    if rest:
        started = sum(entry["started"] for entry in rest)
        submitted = sum(entry["submitted"] for entry in rest)
        others = {"label": ngettext("%(count)d other source", "%(count)d other sources",
                                    len(rest)) % {"count": len(rest)},
                  "started": started, "submitted": submitted,
                  "conversion": percent(submitted / started) if started else ""}
    return rows, others


def funnel_overview(*, days: int, today: date) -> dict[str, Any]:
    first_day, last_day = period_ending(days=days, today=today)
    report = funnel_report(first_day=first_day, last_day=last_day)
    sources, other_sources = source_rows(report)
    return {
        "days": days,
        "first_day": first_day,
        "last_day": last_day,
        "periods": [{"days": n, "current": n == days,
                     "label": ngettext("%(count)d day", "%(count)d days", n) % {"count": n}}
                    for n in PERIODS],
        "started": report["started"],
        "submitted": report["submitted"],
        "completion": percent(report["completion_rate"]),
        "cta_clicked": report["cta_clicked"],
        "steps": step_rows(report),
        "after": after_the_advice(report),
        "buttons": [{"label": BUTTON_LABELS.get(button, button), "value": value}
                    for button, value in report["cta_by_button"].items() if value],
        "rates": rate_columns(report),
        "rate_unit": _("day") if len(report["days"]) <= DAILY_UP_TO else _("week"),
        "rate_chart": {"width": RATE_CHART_WIDTH, "view_width": RATE_CHART_WIDTH + 24,
                       "height": RATE_CHART_HEIGHT,
                       "baseline": RATE_CHART_HEIGHT - RATE_AXIS_HEIGHT,
                       "half": svg_number((RATE_CHART_HEIGHT - RATE_AXIS_HEIGHT) / 2),
                       "axis_y": RATE_CHART_HEIGHT - RATE_AXIS_HEIGHT + 15},
        "sources": sources,
        "other_sources": other_sources,
        "languages": [{"language": LANGUAGE_NAMES.get(language, language),
                       "started": totals["started"], "submitted": totals["submitted"],
                       "completion": percent(totals["submitted"] / totals["started"])
                       if totals["started"] else ""}
                      for language, totals in report["languages"].items()],
    }


# The files of the export, by the end of their address (dashboard/funnel-<kind>).
EXPORTS = {"days.csv": export.days_csv_lines, "sources.csv": export.sources_csv_lines}
JSON_EXPORT = "json"


def export_response(*, kind: str, days: int, today: date) -> HttpResponseBase:
    """The funnel of the period as a download: per day or per source as CSV, or JSON."""
    first_day, last_day = period_ending(days=days, today=today)
    report = funnel_report(first_day=first_day, last_day=last_day)
    if kind == JSON_EXPORT:
        response = HttpResponse(export.as_json(report),
                                content_type="application/json; charset=utf-8")
        return as_download(response, export.json_filename(report))
    if kind not in EXPORTS:
        raise Http404
    response = StreamingHttpResponse(EXPORTS[kind](report), content_type="text/csv; charset=utf-8")
    return as_download(response, export.csv_filename(kind.removesuffix(".csv"), report))
