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


# A measure the chosen plan delivers itself; otherwise the key of the add-on that does.
BY_PLAN = "plan"


@dataclass(frozen=True)
class SecurityMeasure:
    key: str
    norms: tuple[str, ...]
    delivered_by: str = BY_PLAN

    @property
    def _measure(self) -> q.Measure:
        # Advice of an earlier engine version may name a measure the table no longer has.
        current = next((m for m in q.MEASURES if m.key == self.key), None)
        return current or q.LEGACY_MEASURES[self.key]

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
    def capability(self) -> Promise | None:
        return self._measure.capability

    @property
    def add_on(self) -> q.AddOn | None:
        return q.ADD_ONS.get(self.delivered_by)

    @property
    def norm_labels(self) -> tuple[Promise | str, ...]:
        return tuple(q.NORMS[n].label if n in q.NORMS else q.LEGACY_NORMS.get(n, n)
                     for n in self.norms)


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
    # None in advice of engine versions before 2026.11.2, which did not decide it.
    current_setup_advice: str | None = None

    @property
    def headline(self) -> Promise:
        setup = (self.answers.get("current_setup", ""), self.current_setup_advice or "")
        return q.SETUP_HEADLINES.get(setup) or HEADLINES[(self.verdict, self.clear)]

    @property
    def current_setup_text(self) -> Promise | None:
        return q.SETUP_ADVICE_TEXTS.get(self.current_setup_advice or "")

    @property
    def add_ons(self) -> tuple[q.AddOn, ...]:
        keys = dict.fromkeys(m.delivered_by for m in self.security_measures)
        return tuple(q.ADD_ONS[key] for key in keys if key in q.ADD_ONS)

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
        return q.LEGACY_DECISIVE_RULES.get(self.decisive_rule or "")

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
                    "delivered_by": m.delivered_by,
                }
                for m in self.security_measures
            ],
            "next_steps": [str(text) for text in self.next_step_texts],
            "next_step_keys": list(self.next_steps),
            "notes": [{"key": k, "text": str(note_text(k))} for k in self.notes],
            "answers": dict(self.answers),
            "current_setup_advice": self.current_setup_advice,
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
                SecurityMeasure(m["key"], tuple(m["norm_keys"]),
                                m.get("delivered_by", BY_PLAN))
                for m in data["security_measures"]
            ),
            next_steps=tuple(data["next_step_keys"]),
            notes=tuple(n["key"] for n in data["notes"]),
            answers=dict(data["answers"]),
            decisive_rule=(data.get("decisive_rule") or {}).get("key"),
            engine_version=data["engine_version"],
            current_setup_advice=data.get("current_setup_advice"),
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


def _required(answers: Mapping[str, str]) -> tuple[q.Measure, ...]:
    return tuple(m for m in q.MEASURES if holds(m.condition, answers))


def _delivery(measure: q.Measure, plan: str, answers: Mapping[str, str]) -> str | None:
    """How ``plan`` delivers the measure: BY_PLAN, an add-on's key, or None (it cannot)."""
    for rule in q.ADD_ON_RULES:
        if rule.measure == measure.key and plan in rule.plans and holds(rule.condition, answers):
            return rule.add_on
    delivers = measure.on_imap if plan == "imap_hosting" else plan in measure.plans
    return BY_PLAN if delivers else None


def _plan(verdict: str, required: tuple[q.Measure, ...], answers: Mapping[str, str]) -> str:
    """The cheapest plan, from the floor the features set, that delivers every measure."""
    floor = next(
        p.plan for p in q.PLAN_RULES if p.verdict == verdict and holds(p.condition, answers)
    )
    if verdict == q.IMAP:
        return floor
    candidates = q.M365_PLANS[q.M365_PLANS.index(floor):]
    return next(
        (plan for plan in candidates
         if all(_delivery(m, plan, answers) is not None for m in required)),
        q.M365_PLANS[-1],
    )


def _measures(required: tuple[q.Measure, ...], plan: str,
              answers: Mapping[str, str]) -> tuple[SecurityMeasure, ...]:
    measures = []
    for measure in required:
        norms = tuple(key for key, norm in q.NORMS.items()
                      if measure.key in norm.measures and holds(norm.scope, answers))
        delivered_by = _delivery(measure, plan, answers) or BY_PLAN
        measures.append(SecurityMeasure(measure.key, norms, delivered_by))
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

    required = _required(answers)
    plan = _plan(verdict, required, answers)
    required_keys = {m.key for m in required}
    facts = {**answers, q.VERDICT: verdict, q.CLEAR: "yes" if clear else "no", q.PLAN: plan,
             **{q.needs(m.key): "yes" if m.key in required_keys else "no" for m in q.MEASURES}}
    setup_advice = next(r.value for r in q.CURRENT_SETUP_RULES if holds(r.condition, facts))
    facts[q.SETUP_ADVICE] = setup_advice
    next_steps = tuple(
        step.key
        for step in q.NEXT_STEPS
        if verdict in step.verdicts and holds(step.condition, facts)
    )
    notes = tuple(note.key for note in q.NOTES if holds(note.condition, facts))

    return Advice(
        verdict=verdict,
        clear=clear,
        scores=scores,
        plan=plan,
        reasons=_reasons(answers),
        security_measures=_measures(required, plan, answers),
        next_steps=next_steps,
        notes=notes,
        answers=answers,
        decisive_rule=rule.key if rule else None,
        current_setup_advice=setup_advice,
    )
