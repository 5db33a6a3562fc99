"""docs/advice-rules.md, generated from the table: every rule, norm, measure and plan rule
with its source, for the consultant to review without reading Python.

`manage.py advice_rules --write` (or `> docs/advice-rules.md`) writes it;
tests/advice/test_rules_doc.py fails when the file is out of date.
"""

from pathlib import Path

from django.conf import settings
from django.utils import translation

from advisor.advice import table as q

DOC_PATH = Path(settings.BASE_DIR) / "docs" / "advice-rules.md"
OUT_OF_DATE = ("docs/advice-rules.md is out of date: run "
               "`.venv/bin/python manage.py advice_rules --write`.")


def condition_text(condition: q.Condition) -> str:
    """A condition in words: alternatives joined by "or", the keys of one by "and"."""
    if condition == q.ALWAYS:
        return "always"
    if not condition:
        return "never"
    alternatives = []
    for alternative in condition:
        parts = []
        for key, values in alternative.items():
            listed = sorted(values)
            parts.append(f"{key} = {listed[0]}" if len(listed) == 1
                         else f"{key} in {{{', '.join(listed)}}}")
        alternatives.append(" and ".join(parts))
    return " **or** ".join(f"({a})" if len(alternatives) > 1 else a for a in alternatives)


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _questions() -> list[str]:
    lines = ["## Questions and points", "",
             "Points: (IMAP, Microsoft 365). A question whose condition does not hold is not "
             "asked and counts as its default, the not-applicable answer `na`. Answers marked "
             "*not offered* are that `na`, or legacy answers of earlier engine versions that "
             "stored submissions keep.", ""]
    rows = []
    for step in q.question_steps():
        for question in step.questions:
            choices = "; ".join(
                f"`{c.value}` ({c.imap}, {c.m365}){'' if c.offered else ' *not offered*'}"
                for c in question.choices)
            asked = condition_text(both_conditions(step.condition, question.condition))
            rows.append([f"`{question.key}`", question.label, asked, choices])
    return lines + _table(["Key", "Question", "Asked when", "Choices (points)"], rows)


def both_conditions(first: q.Condition, second: q.Condition) -> q.Condition:
    return tuple({**a, **b} for a in first for b in second)


def _decisive_rules() -> list[str]:
    lines = ["## Decisive rules", "",
             "The first rule that holds sets the verdict, whatever the points, and the advice "
             "is clear. Otherwise the points decide (a tie goes to IMAP) and a difference of "
             f"{q.CLOSE_CALL_MARGIN} points or less is a close call.", ""]
    rows = [[f"`{r.key}`", condition_text(r.condition), q.OPTION_NAMES[r.verdict], r.reason]
            for r in q.DECISIVE_RULES]
    return lines + _table(["Rule", "When", "Verdict", "Reason shown"], rows)


def _plans() -> list[str]:
    lines = ["## Plans", "",
             "Cheapest first. The plan rules set a floor from the wanted features; the engine "
             "then takes the first plan from that floor that delivers every required measure "
             "itself or through an add-on (see the measures and add-ons below). The Business "
             f"plans are sold up to {q.BUSINESS_PLAN_USER_CAP} users.", ""]
    lines += _table(["Plan", "Name"], [[f"`{key}`", plan.name] for key, plan in q.PLANS.items()])
    rows = [[f"`{r.plan}`", q.OPTION_NAMES[r.verdict], condition_text(r.condition)]
            for r in q.PLAN_RULES]
    return [*lines, "### Plan rules (the floor; the first that holds)", "",
            *_table(["Plan", "For verdict", "When"], rows)]


def _measures() -> list[str]:
    lines = ["## Security measures", ""]
    rows = [[f"`{m.key}`", m.title, condition_text(m.condition), m.capability,
             ", ".join(f"`{p}`" for p in q.M365_PLANS if p in m.plans),
             "yes" if m.on_imap else "no", m.source]
            for m in q.MEASURES]
    lines += _table(["Measure", "Title", "Required when", "Capability", "Plans that deliver it",
                     "IMAP can", "Source"], rows)
    rows = [[f"`{r.add_on}`", q.ADD_ONS[r.add_on].name, f"`{r.measure}`",
             ", ".join(f"`{p}`" for p in q.PLANS if p in r.plans), condition_text(r.condition)]
            for r in q.ADD_ON_RULES]
    return [*lines, "### Add-ons (the first rule that holds for a measure on the plan)", "",
            *_table(["Add-on", "Name", "For measure", "On plans", "When"], rows)]


def _norms() -> list[str]:
    lines = ["## Norms", "",
             "A norm is cited on a measure only when its scope holds. The texts say which "
             "measure helps meet which requirement, never that a plan complies.", ""]
    rows = [[f"`{n.key}`", n.label, condition_text(n.scope),
             ", ".join(f"`{m.key}`" for m in q.MEASURES if m.key in n.measures), n.source]
            for n in q.NORMS.values()]
    return lines + _table(["Norm", "Label", "Scope (cited when)", "On measures", "Source"], rows)


def _current_setup() -> list[str]:
    lines = ["## What to do with the current set-up (`current_setup_advice`)", "",
             "The first rule that holds decides. Facts besides the answers: `verdict`, `plan` "
             "and `needs_<measure>`.", ""]
    rows = [[f"`{r.value}`", condition_text(r.condition), q.SETUP_ADVICE_TEXTS[r.value]]
            for r in q.CURRENT_SETUP_RULES]
    return lines + _table(["Advice", "When", "Said to the visitor"], rows)


def _notes_and_steps() -> list[str]:
    lines = ["## Notes", ""]
    lines += _table(["Note", "When", "Text"],
                    [[f"`{n.key}`", condition_text(n.condition), n.text] for n in q.NOTES])
    lines += ["## Next steps", ""]
    lines += _table(["Step", "For verdict", "When", "Text"], [
        [f"`{s.key}`", ", ".join(str(q.OPTION_NAMES[v]) for v in sorted(s.verdicts)),
         condition_text(s.condition), s.text] for s in q.NEXT_STEPS])
    return lines


def _legacy() -> list[str]:
    return ["## Legacy keys", "",
            "Stored advice of earlier engine versions names these; they are kept, with their "
            "texts as they were, so an old report renders as given. New advice never uses them.",
            "",
            "- Measures: " + ", ".join(f"`{k}`" for k in q.LEGACY_MEASURES),
            "- Norms: " + ", ".join(f"`{k}`" for k in q.LEGACY_NORMS),
            "- Decisive rules: " + ", ".join(f"`{k}`" for k in q.LEGACY_DECISIVE_RULES),
            "- Sector answers: " + ", ".join(f"`{k}`" for k in sorted(q.LEGACY_SECTORS)),
            ""]


def render() -> str:
    """The whole document, in English (the source language)."""
    with translation.override("en"):
        lines = [
            "# Advice rules",
            "",
            f"Generated from `advisor/advice/table.py` (engine {q.ENGINE_VERSION}) by "
            "`manage.py advice_rules --write`. Do not edit by hand. The facts behind the "
            "sources (F numbers) are in `docs/advice-rules-research.md`.",
            "",
            *_questions(), *_decisive_rules(), *_plans(), *_measures(), *_norms(),
            *_current_setup(), *_notes_and_steps(), *_legacy(),
        ]
    return "\n".join(lines).rstrip("\n") + "\n"
