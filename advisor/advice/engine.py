"""The advice engine: answers in, a frozen, explained advice out.

Pure: no request, no ORM, no I/O. Everything it decides comes from the tables
in ``table.py``. The advice holds keys; its texts are looked up in the table when
read, so a stored advice renders in whichever language is active.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from advisor.advice import table as q
from advisor.advice.table import OPTION_NAMES, holds

UNKNOWN_QUESTION = "Unknown question {key!r}; known questions: {known}."
INVALID_ANSWER = "Invalid answer {value!r} for {key!r}; choose one of: {choices}."

HEADLINES: dict[tuple[str, bool], Promise] = {
    (q.IMAP, True): _("An IMAP mailbox at a hosting provider is enough for you."),
    (q.IMAP, False): _("An IMAP mailbox can be enough for you, but it is a close call."),
    (q.M365, True): _("Microsoft 365 (Exchange Online) fits your business better."),
    (q.M365, False): _("Microsoft 365 fits a little better, but it is a close call."),
}
__all__ = ["OPTION_NAMES", "Advice", "InvalidAnswers", "advise", "asked_answers",
           "complete_answers", "holds", "note_text"]


class InvalidAnswers(ValueError):
    """The answers name an unknown question or an answer that is not a choice."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class Reason:
    factor: str
    answer: str
    towards: str
    points: int

    @property
    def question(self) -> Promise:
        return q.QUESTIONS[self.factor].label

    @property
    def answer_label(self) -> Promise:
        return q.QUESTIONS[self.factor].choice(self.answer).label

    @property
    def text(self) -> Promise:
        reason = q.QUESTIONS[self.factor].choice(self.answer).reason
        assert reason is not None, "consistency tests guarantee a reason for weighted choices"
        return reason


@dataclass(frozen=True)
class SecurityMeasure:
    key: str
    norms: tuple[str, ...]

    @property
    def _measure(self) -> q.Measure:
        return next(m for m in q.MEASURES if m.key == self.key)

    @property
    def title(self) -> Promise:
        return self._measure.title

    @property
    def explanation(self) -> Promise:
        return self._measure.explanation

    @property
    def why(self) -> Promise:
        return self._measure.why

    @property
    def norm_labels(self) -> tuple[Promise | str, ...]:
        return tuple(q.NORMS[n] for n in self.norms)


@dataclass(frozen=True)
class Advice:
    verdict: str
    clear: bool
    scores: Mapping[str, int]
    plan: str
    reasons: tuple[Reason, ...]
    security_measures: tuple[SecurityMeasure, ...]
    next_steps: tuple[str, ...]
    notes: tuple[str, ...]
    answers: Mapping[str, str]
    decisive_rule: str | None = None
    engine_version: str = q.ENGINE_VERSION

    @property
    def headline(self) -> Promise:
        return HEADLINES[(self.verdict, self.clear)]

    @property
    def verdict_name(self) -> Promise:
        return OPTION_NAMES[self.verdict]

    @property
    def plan_info(self) -> q.Plan:
        return q.PLANS[self.plan]

    @property
    def decisive_reason(self) -> Promise | None:
        for rule in q.DECISIVE_RULES:
            if rule.key == self.decisive_rule:
                return rule.reason
        return None

    @property
    def reasons_for(self) -> dict[str, tuple[Reason, ...]]:
        return {
            side: tuple(r for r in self.reasons if r.towards == side) for side in (q.M365, q.IMAP)
        }

    @property
    def next_step_texts(self) -> tuple[Promise, ...]:
        texts = {step.key: step.text for step in q.NEXT_STEPS}
        return tuple(texts[key] for key in self.next_steps)

    @property
    def note_texts(self) -> tuple[Promise, ...]:
        return tuple(note_text(key) for key in self.notes)

    def as_dict(self) -> dict[str, Any]:
        """The advice as JSON-ready data, texts in the active language."""
        return {
            "engine_version": self.engine_version,
            "verdict": self.verdict,
            "clear": self.clear,
            "headline": str(self.headline),
            "scores": dict(self.scores),
            "decisive_rule": (
                {"key": self.decisive_rule, "text": str(self.decisive_reason)}
                if self.decisive_rule
                else None
            ),
            "plan": self.plan,
            "plan_name": str(self.plan_info.name),
            "reasons": [
                {
                    "factor": r.factor,
                    "answer": r.answer,
                    "towards": r.towards,
                    "points": r.points,
                    "text": str(r.text),
                }
                for r in self.reasons
            ],
            "security_measures": [
                {
                    "key": m.key,
                    "title": str(m.title),
                    "why": str(m.why),
                    "norms": [str(label) for label in m.norm_labels],
                    "norm_keys": list(m.norms),
                }
                for m in self.security_measures
            ],
            "next_steps": [str(text) for text in self.next_step_texts],
            "next_step_keys": list(self.next_steps),
            "notes": [{"key": k, "text": str(note_text(k))} for k in self.notes],
            "answers": dict(self.answers),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Advice:
        """Rebuild a stored advice from its keys (texts come from the table)."""
        return cls(
            verdict=data["verdict"],
            clear=data["clear"],
            scores=dict(data["scores"]),
            plan=data["plan"],
            reasons=tuple(
                Reason(r["factor"], r["answer"], r["towards"], r["points"])
                for r in data["reasons"]
            ),
            security_measures=tuple(
                SecurityMeasure(m["key"], tuple(m["norm_keys"]))
                for m in data["security_measures"]
            ),
            next_steps=tuple(data["next_step_keys"]),
            notes=tuple(n["key"] for n in data["notes"]),
            answers=dict(data["answers"]),
            decisive_rule=(data.get("decisive_rule") or {}).get("key"),
            engine_version=data["engine_version"],
        )


def note_text(key: str) -> Promise:
    return next(note.text for note in q.NOTES if note.key == key)


def asked_answers(answers: Mapping[str, str]) -> dict[str, str]:
    """The answers to the questions that are asked, given the answers before them.

    Walks the table in order: a step or question whose condition does not hold on the
    answers kept so far is not asked, and its answer (if any) is left out, as is an
    answer that is not one of its question's choices. Reads nothing but ``answers``, so
    the wizard can call it from a step condition without recursing into its forms.
    """
    kept: dict[str, str] = {}
    for step in q.STEPS:
        if not holds(step.condition, kept):
            continue
        for question in step.questions:
            if holds(question.condition, kept) and answers.get(question.key) in question.values:
                kept[question.key] = answers[question.key]
    return kept


def complete_answers(answers: Mapping[str, str]) -> dict[str, str]:
    """Validate the answers and complete them: a missing answer, or the answer to a
    question that is not asked (its condition does not hold), is the question's default.

    Raises InvalidAnswers naming the first offending key.
    """
    for key, value in answers.items():
        if key not in q.QUESTIONS:
            raise InvalidAnswers(
                key, UNKNOWN_QUESTION.format(key=key, known=", ".join(q.QUESTIONS))
            )
        choices = q.QUESTIONS[key].values
        if value not in choices:
            raise InvalidAnswers(
                key, INVALID_ANSWER.format(key=key, value=value, choices=", ".join(choices))
            )
    # Conditions see the defaults of missing answers, as the scores do.
    filled = {key: answers.get(key, question.default) for key, question in q.QUESTIONS.items()}
    asked = asked_answers(filled)
    return {key: asked.get(key, question.default) for key, question in q.QUESTIONS.items()}


def _reasons(answers: Mapping[str, str]) -> tuple[Reason, ...]:
    reasons = []
    for key, question in q.QUESTIONS.items():
        choice = question.choice(answers[key])
        if choice.imap == choice.m365:
            continue
        towards = q.M365 if choice.m365 > choice.imap else q.IMAP
        reasons.append(Reason(key, choice.value, towards, abs(choice.m365 - choice.imap)))
    # Strongest reasons first; the table order breaks ties so the result is stable.
    return tuple(sorted(reasons, key=lambda r: -r.points))


def _measures(answers: Mapping[str, str]) -> tuple[SecurityMeasure, ...]:
    measures = []
    for measure in q.MEASURES:
        if not holds(measure.condition, answers):
            continue
        norms: list[str] = []
        for rule in q.NORM_RULES:
            if measure.key in rule.measures and holds(rule.condition, answers):
                norms.extend(n for n in rule.norms if n not in norms)
        measures.append(SecurityMeasure(measure.key, tuple(norms)))
    return tuple(measures)


def advise(answers: Mapping[str, str]) -> Advice:
    """Turn the questionnaire's answers into an explained advice.

    Missing answers take their default; invalid ones raise InvalidAnswers.
    """
    answers = complete_answers(answers)
    scores = {q.IMAP: 0, q.M365: 0}
    for key, question in q.QUESTIONS.items():
        choice = question.choice(answers[key])
        scores[q.IMAP] += choice.imap
        scores[q.M365] += choice.m365

    rule = next((r for r in q.DECISIVE_RULES if holds(r.condition, answers)), None)
    if rule is not None:
        verdict, clear = rule.verdict, True
    else:
        # A tie goes to IMAP: the simpler start, and moving later is always possible.
        verdict = q.M365 if scores[q.M365] > scores[q.IMAP] else q.IMAP
        clear = abs(scores[q.M365] - scores[q.IMAP]) > q.CLOSE_CALL_MARGIN

    plan = next(
        p.plan for p in q.PLAN_RULES if p.verdict == verdict and holds(p.condition, answers)
    )
    next_steps = tuple(
        step.key
        for step in q.NEXT_STEPS
        if verdict in step.verdicts and holds(step.condition, answers)
    )
    facts = {**answers, q.VERDICT: verdict, q.CLEAR: "yes" if clear else "no"}
    notes = tuple(note.key for note in q.NOTES if holds(note.condition, facts))

    return Advice(
        verdict=verdict,
        clear=clear,
        scores=scores,
        plan=plan,
        reasons=_reasons(answers),
        security_measures=_measures(answers),
        next_steps=next_steps,
        notes=notes,
        answers=answers,
        decisive_rule=rule.key if rule else None,
    )
