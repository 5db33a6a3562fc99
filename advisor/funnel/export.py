"""The funnel report as files for the consultant's own reporting: CSV for Dutch Excel (per
day, and per source), JSON, and the readable text of `manage.py funnel`."""

import json
from collections.abc import Iterator
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from advisor.advice import table as q
from advisor.funnel.report import TOTALS
from advisor.lib.spreadsheet import excel_csv_lines
from advisor.models import FunnelEvent

TOTAL_LABELS = {
    FunnelEvent.STARTED: gettext_lazy("Started"),
    FunnelEvent.SUBMITTED: gettext_lazy("Submitted"),
    FunnelEvent.RESULT_VIEWED: gettext_lazy("Advice opened"),
    FunnelEvent.PDF_DOWNLOADED: gettext_lazy("PDF downloaded"),
    FunnelEvent.SHARED: gettext_lazy("Shared"),
    FunnelEvent.CTA_CLICKED: gettext_lazy("Contact button used"),
}
DIRECT = gettext_lazy("Direct or unknown")


CONTACT_STEP_LABEL = gettext_lazy("Your details")


def step_label(name: str) -> str:
    """The step's title in the table (the contact step's in two words, as the start page
    names it); a step the table no longer has keeps its name."""
    for step in q.STEPS:
        if step.name == name:
            return str(CONTACT_STEP_LABEL if step.kind == q.CONTACT else step.title)
    return name


def source_label(entry: dict[str, Any]) -> str:
    """One line for a source: campaign source / medium / campaign, else the referring site."""
    parts = [entry[key] for key in ("source", "medium", "campaign") if entry[key]]
    if not parts:
        return entry["referrer"] or str(DIRECT)
    return " / ".join(parts)


def percent(rate: float | None) -> str:
    """A rate as a percentage in the current language ("41,7" in Dutch); "" without one."""
    # Rounded here: number_format cuts decimals off (66.67 would show as 66,6).
    return "" if rate is None else number_format(round(100 * rate, 1), 1)


def as_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)


def days_csv_lines(report: dict[str, Any]) -> Iterator[str]:
    """One row per day, then the period's total: each total and each step's reached and
    completed."""
    steps = [entry["step"] for entry in report["steps"]]
    header = [_("Date"), *(TOTAL_LABELS[event] for event in TOTALS),
              *(label % {"step": step_label(step)} for step in steps
                for label in (_("%(step)s: reached"), _("%(step)s: completed")))]

    def row(first: str, values: dict[str, Any]) -> list[object]:
        return [first, *(values[event] for event in TOTALS),
                *(value for entry in values["steps"]
                  for value in (entry["reached"], entry["completed"]))]

    rows = [row(day["date"], day) for day in report["days"]]
    rows.append(row(_("Total"), report))
    return excel_csv_lines(header, rows)


def sources_csv_lines(report: dict[str, Any]) -> Iterator[str]:
    header = [_("Campaign source"), _("Campaign medium"), _("Campaign"), _("Referring site"),
              _("Started"), _("Leads"), _("Conversion (%)")]
    rows = [[entry["source"], entry["medium"], entry["campaign"], entry["referrer"],
             entry["started"], entry["submitted"], percent(entry["conversion"])]
            for entry in report["sources"]]
    return excel_csv_lines(header, rows)


def csv_filename(kind: str, report: dict[str, Any]) -> str:
    period = report["period"]
    return f"funnel-{kind}-{period['first_day']}-{period['last_day']}.csv"


def json_filename(report: dict[str, Any]) -> str:
    period = report["period"]
    return f"funnel-{period['first_day']}-{period['last_day']}.json"


def as_text(report: dict[str, Any]) -> str:
    """The report as a person reads it in a terminal."""
    period = report["period"]
    width = max(len(str(label)) for label in TOTAL_LABELS.values()) + 2
    lines = [_("Funnel from %(first)s to %(last)s") % {
        "first": period["first_day"], "last": period["last_day"]}, ""]
    lines.append(f"{TOTAL_LABELS[FunnelEvent.STARTED]!s:<{width}}{report['started']:>7}")
    lines.append("")
    lines.append(_("Per step: reached, completed, left during the step"))
    for number, entry in enumerate(report["steps"], start=1):
        left = entry["reached"] - entry["completed"]
        lines.append(f"  {number}. {step_label(entry['step']):<40}"
                     f"{entry['reached']:>7}{entry['completed']:>7}{left:>7}")
    lines.append("")
    for event in TOTALS[1:]:
        lines.append(f"{TOTAL_LABELS[event]!s:<{width}}{report[event]:>7}")
    rate = percent(report["completion_rate"])
    lines.append(_("Completion rate: %(rate)s%%") % {"rate": rate} if rate
                 else _("Completion rate: none started"))
    lines += ["", _("Sources: started, leads, conversion")]
    for entry in report["sources"] or []:
        rate = percent(entry["conversion"])
        lines.append(f"  {source_label(entry):<48}{entry['started']:>7}{entry['submitted']:>7}"
                     f"{(rate + '%') if rate else '':>8}")
    if not report["sources"]:
        lines.append("  " + _("No visits counted in this period."))
    return "\n".join(lines)
