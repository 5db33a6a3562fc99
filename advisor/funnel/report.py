"""The funnel of a period as plain values: the shape of `manage.py funnel --json`, the back
office's export and its overview. Three grouped queries, whatever the number of visits.

    {"period": {"first_day": "2026-11-04", "last_day": "2026-12-03"},
     "started": 120, "submitted": 48, "result_viewed": 47, "pdf_downloaded": 20,
     "shared": 5, "cta_clicked": 9,
     "completion_rate": 0.4,                          # submitted / started, null without starts
     "cta_by_button": {"book": 5, "call": 2, "mail": 2},
     "steps": [{"step": "business", "reached": 120, "completed": 118}, ...],   # in order
     "languages": {"nl": {<the six totals>}, "en": {...}},
     "sources": [{"source": "linkedin", "medium": "social", "campaign": "voorjaar",
                  "referrer": "", "started": 40, "submitted": 18, "conversion": 0.45}, ...],
     "days": [{"date": "2026-11-04", <the six totals>, "steps": [...]}, ...]}  # every day
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Sum

from advisor.advice import table as q
from advisor.funnel.sources import Source
from advisor.models import FunnelCount, FunnelEvent

E = FunnelEvent
# The totals of the contract, in the order of a visit.
TOTALS = (E.STARTED, E.SUBMITTED, E.RESULT_VIEWED, E.PDF_DOWNLOADED, E.SHARED, E.CTA_CLICKED)
STEP_EVENTS = {E.STEP_REACHED: "reached", E.STEP_COMPLETED: "completed"}
CTA_BUTTONS = ("book", "call", "mail")


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _totals(counts: dict[tuple[str, str], int]) -> dict[str, int]:
    return {str(event): counts.get((event, ""), 0) for event in TOTALS}


def _steps(counts: dict[tuple[str, str], int], names: list[str]) -> list[dict[str, Any]]:
    return [{"step": name, **{label: counts.get((event, name), 0)
                              for event, label in STEP_EVENTS.items()}}
            for name in names]


def step_names(stored: set[str]) -> list[str]:
    """The table's steps in order, then any counted step the table no longer has."""
    names = [step.name for step in q.STEPS]
    return names + sorted(stored - set(names))


def funnel_report(*, first_day: date, last_day: date) -> dict[str, Any]:
    """Every count from first_day to last_day (both included), in the contract's shape."""
    rows = FunnelCount.objects.filter(day__gte=first_day, day__lte=last_day).order_by()
    per_day: dict[date, dict[tuple[str, str], int]] = defaultdict(dict)
    overall: dict[tuple[str, str], int] = defaultdict(int)
    cta: dict[str, int] = defaultdict(int)
    for row in rows.values("day", "event", "detail").annotate(n=Sum("count")):
        is_total = row["event"] in TOTALS
        key = (row["event"], "" if is_total else row["detail"])
        per_day[row["day"]][key] = per_day[row["day"]].get(key, 0) + row["n"]
        overall[key] += row["n"]
        if row["event"] == E.CTA_CLICKED:
            cta[row["detail"]] += row["n"]
    names = step_names({detail for event, detail in overall if event in STEP_EVENTS})

    languages: dict[str, dict[tuple[str, str], int]] = defaultdict(dict)
    for row in rows.filter(event__in=TOTALS).values("language", "event").annotate(
            n=Sum("count")):
        languages[row["language"]][(row["event"], "")] = row["n"]

    totals = _totals(overall)
    return {
        "period": {"first_day": first_day.isoformat(), "last_day": last_day.isoformat()},
        **totals,
        "completion_rate": _rate(totals[E.SUBMITTED], totals[E.STARTED]),
        "cta_by_button": {button: cta.get(button, 0)
                          for button in (*CTA_BUTTONS, *sorted(set(cta) - set(CTA_BUTTONS)))},
        "steps": _steps(overall, names),
        "languages": {language: _totals(counts) for language, counts in sorted(languages.items())},
        "sources": sources_of(rows),
        "days": [
            {"date": day.isoformat(), **_totals(per_day.get(day, {})),
             "steps": _steps(per_day.get(day, {}), names)}
            for day in (first_day + timedelta(days=n)
                        for n in range((last_day - first_day).days + 1))
        ],
    }


def sources_of(rows: Any) -> list[dict[str, Any]]:
    """Started and submitted per source, the most leads first."""
    per_source: dict[Source, dict[str, int]] = defaultdict(lambda: {"started": 0, "submitted": 0})
    for row in (rows.filter(event__in=(E.STARTED, E.SUBMITTED))
                .values("source", "medium", "campaign", "referrer", "event")
                .annotate(n=Sum("count"))):
        source = Source(row["source"], row["medium"], row["campaign"], row["referrer"])
        per_source[source][row["event"]] += row["n"]
    ordered = sorted(per_source.items(), key=lambda item: (
        -item[1]["submitted"], -item[1]["started"], item[0].as_list()))
    return [{"source": source.source, "medium": source.medium, "campaign": source.campaign,
             "referrer": source.referrer, **counts,
             "conversion": _rate(counts["submitted"], counts["started"])}
            for source, counts in ordered]


def period_ending(*, days: int, today: date) -> tuple[date, date]:
    """The last `days` days, today included."""
    return today - timedelta(days=days - 1), today


@dataclass(frozen=True)
class CountedSources:
    """The values that brought the most submissions, per field, most first."""

    sources: list[str]
    media: list[str]
    campaigns: list[str]
    sites: list[str]  # referring sites of the submissions without a campaign source


def counted_sources(*, limit: int) -> CountedSources:
    """For the lead list's filters, in one grouped query over the counts (a few rows a day),
    never a DISTINCT over every lead."""
    totals: dict[str, dict[str, int]] = {field: defaultdict(int) for field in
                                         ("source", "medium", "campaign", "site")}
    rows = (FunnelCount.objects.filter(event=E.SUBMITTED).order_by()
            .values("source", "medium", "campaign", "referrer").annotate(n=Sum("count")))
    for row in rows:
        for field in ("source", "medium", "campaign"):
            totals[field][row[field]] += row["n"]
        if not row["source"]:
            totals["site"][row["referrer"]] += row["n"]

    def most(field: str) -> list[str]:
        ranked = sorted((value for value in totals[field] if value),
                        key=lambda value: (-totals[field][value], value))
        return ranked[:limit]

    return CountedSources(most("source"), most("medium"), most("campaign"), most("site"))
