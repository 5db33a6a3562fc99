"""What changed between two stored advices: a yearly check-up against the advice it follows.

Pure: two ``Advice.as_dict()`` mappings in, keys out (verdict, plan, measures, answers); the
back office names them with labels.py, so no text is stored twice and an old key still shows.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from advisor.advice import labels
from advisor.advice import table as q


@dataclass(frozen=True)
class AnswerChange:
    question: str
    before: str | None  # None: the question did not exist then
    after: str | None  # None: the question no longer exists


@dataclass(frozen=True)
class AdviceChanges:
    # (before, after), or None when it stayed the same.
    verdict: tuple[str, str] | None
    close_call: tuple[bool, bool] | None
    plan: tuple[str, str] | None
    measures_added: tuple[str, ...]
    measures_removed: tuple[str, ...]
    answers: tuple[AnswerChange, ...]

    @property
    def any(self) -> bool:
        return bool(self.verdict or self.close_call or self.plan or self.measures_added
                    or self.measures_removed or self.answers)


def _changed(before: Any, after: Any) -> tuple[Any, Any] | None:
    return None if before == after else (before, after)


def _in_table_order(keys: set[str]) -> list[str]:
    order = list(q.QUESTIONS)
    return sorted(keys, key=lambda key: (order.index(key) if key in order else len(order), key))


def advice_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> AdviceChanges:
    """What differs from ``before`` in ``after``: measures in the order each advice lists
    them, answers in the table's order (questions it no longer has last)."""
    measures_before = [m["key"] for m in before["security_measures"]]
    measures_after = [m["key"] for m in after["security_measures"]]
    answers_before, answers_after = before["answers"], after["answers"]
    return AdviceChanges(
        verdict=_changed(before["verdict"], after["verdict"]),
        close_call=_changed(not before["clear"], not after["clear"]),
        plan=_changed(before["plan"], after["plan"]),
        measures_added=tuple(m for m in measures_after if m not in measures_before),
        measures_removed=tuple(m for m in measures_before if m not in measures_after),
        answers=tuple(
            AnswerChange(key, answers_before.get(key), answers_after.get(key))
            for key in _in_table_order(set(answers_before) | set(answers_after))
            if answers_before.get(key) != answers_after.get(key)
        ),
    )


@dataclass(frozen=True)
class AnswerRow:
    question: Promise | str
    before: Promise | str | None
    after: Promise | str | None


def answer_rows(changes: AdviceChanges) -> list[AnswerRow]:
    """The changed answers as the visitor read them (None: no answer to that question)."""
    def label(question: str, value: str | None) -> Promise | str | None:
        return None if value is None else labels.answer_label(question, value)

    return [AnswerRow(labels.question_label(change.question),
                      label(change.question, change.before), label(change.question, change.after))
            for change in changes.answers]
