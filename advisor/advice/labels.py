"""Labels for stored keys: what a visitor or the consultant reads for an answer, verdict or plan.

Read from the table on every call, so a stored key that the table no longer has shows as
itself instead of failing.
"""

from django.utils.functional import Promise

from advisor.advice import table as q


def answer_label(question: str, value: str) -> Promise | str:
    """The visitor-facing label of a stored answer; the raw key if the table no longer has it."""
    try:
        return q.QUESTIONS[question].choice(value).label
    except KeyError:
        return value


def question_label(question: str) -> Promise | str:
    """The question as the visitor read it; the raw key if the table no longer has it."""
    return q.QUESTIONS[question].label if question in q.QUESTIONS else question


def short_answer_label(question: str, value: str) -> Promise | str:
    """The answer's short label, for narrow table columns (the table's ``short_label``)."""
    try:
        return q.QUESTIONS[question].choice(value).short
    except KeyError:
        return value


def verdict_label(verdict: str) -> Promise | str:
    return q.OPTION_NAMES.get(verdict, verdict)


def plan_label(plan: str) -> Promise | str:
    return q.PLANS[plan].name if plan in q.PLANS else plan


def short_plan_label(plan: str) -> Promise | str:
    """The plan's short name, for a column next to the verdict (which names the product)."""
    return q.PLANS[plan].short if plan in q.PLANS else plan


def choices_of(question: str, *, short: bool = False) -> list[tuple[str, Promise]]:
    return [(choice.value, choice.short if short else choice.label)
            for choice in q.QUESTIONS[question].choices]


VERDICT_CHOICES = list(q.OPTION_NAMES.items())
PLAN_CHOICES = [(key, plan.name) for key, plan in q.PLANS.items()]
