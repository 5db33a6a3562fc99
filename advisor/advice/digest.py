"""The digest of the rules, so a change of meaning cannot ship without a new ENGINE_VERSION.

What counts as the rules: everything the engine decides with (steps' and questions' order,
conditions and defaults, the choices' points, the decisive rules, plans and plan rules,
measures and add-ons, norms with their scope, the current-setup rules, next steps, notes
and the close-call margin), serialised canonically.
Not the texts: a stored advice keeps keys and reads its texts from the table, so rewording
a reason changes no advice. Not what only the pages use (short labels, demo weights, the
brief's sections and talking points, the feature comparison).

tests/advice/test_engine_version.py compares it with RULES_DIGEST in the table;
`make engine-digest` records it there after ENGINE_VERSION was bumped.
"""

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from advisor.advice import table as q

RULES_CHANGED = (
    "The rules changed: bump ENGINE_VERSION in advisor/advice/table.py and record the new "
    "digest with `make engine-digest`."
)
VERSION_NOT_RECORDED = (
    "ENGINE_VERSION is {version} but RULES_DIGEST was recorded for {recorded}: record the "
    "digest with `make engine-digest`."
)
RECORDED_LINE = re.compile(r'^RULES_DIGEST = "[^"]*"$', re.M)


def _condition(condition: q.Condition) -> list[list[Any]]:
    # Alternatives and the keys within one are unordered: sort both.
    return sorted(sorted([key, sorted(values)] for key, values in alternative.items())
                  for alternative in condition)


def rules() -> dict[str, Any]:
    """The table's rules as plain, ordered data."""
    return {
        "close_call_margin": q.CLOSE_CALL_MARGIN,
        "steps": [
            {"condition": _condition(step.condition), "questions": [
                {"key": question.key, "default": question.default,
                 "condition": _condition(question.condition),
                 "choices": [[c.value, c.imap, c.m365] for c in question.choices]}
                for question in step.questions
            ]}
            for step in q.STEPS
        ],
        "decisive_rules": [[r.key, r.verdict, _condition(r.condition)] for r in q.DECISIVE_RULES],
        "plans": sorted(q.PLANS),
        "plan_rules": [[r.plan, r.verdict, _condition(r.condition)] for r in q.PLAN_RULES],
        "m365_plans": list(q.M365_PLANS),
        "measures": [[m.key, _condition(m.condition), sorted(m.plans), m.on_imap]
                     for m in q.MEASURES],
        "add_on_rules": [[r.add_on, r.measure, sorted(r.plans), _condition(r.condition)]
                         for r in q.ADD_ON_RULES],
        "norms": [[n.key, _condition(n.scope), sorted(n.measures)] for n in q.NORMS.values()],
        "current_setup_rules": [[r.value, _condition(r.condition)]
                                for r in q.CURRENT_SETUP_RULES],
        "next_steps": [[s.key, sorted(s.verdicts), _condition(s.condition)]
                       for s in q.NEXT_STEPS],
        "notes": [[n.key, n.with_next_steps, _condition(n.condition)] for n in q.NOTES],
    }


def rules_digest() -> str:
    encoded = json.dumps(rules(), sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


def recorded() -> tuple[str, str]:
    """(version, digest) as recorded in the table's RULES_DIGEST."""
    version, _colon, digest = q.RULES_DIGEST.partition(":")
    return version, digest


def check() -> str | None:
    """None when RULES_DIGEST matches ENGINE_VERSION and the rules; else what to do."""
    version, digest = recorded()
    if digest != rules_digest() and version == q.ENGINE_VERSION:
        return RULES_CHANGED
    if version != q.ENGINE_VERSION or digest != rules_digest():
        return VERSION_NOT_RECORDED.format(version=q.ENGINE_VERSION, recorded=version)
    return None


def record(table_file: Path) -> str:
    """Write ENGINE_VERSION and the rules' digest into RULES_DIGEST of `table_file`.

    Refuses (ValueError) when the rules changed but ENGINE_VERSION did not.
    """
    if check() == RULES_CHANGED:
        raise ValueError(RULES_CHANGED)
    line = f'RULES_DIGEST = "{q.ENGINE_VERSION}:{rules_digest()}"'
    source = table_file.read_text(encoding="utf-8")
    updated, count = RECORDED_LINE.subn(line, source)
    if count != 1:
        raise ValueError(f"{table_file} has no single RULES_DIGEST line to update")
    table_file.write_text(updated, encoding="utf-8")
    return line
