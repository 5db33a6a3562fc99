"""Labels for stored keys: what a visitor or the consultant reads for an answer, verdict or plan."""

from django.utils.functional import Promise

from advisor.advice.engine import OPTION_NAMES
from advisor.advice.table import PLANS, QUESTIONS


def answer_label(question: str, value: str) -> Promise | str:
    """The visitor-facing label of a stored answer; the raw key if the table no longer has it."""
    try:
        return QUESTIONS[question].choice(value).label
    except KeyError:
        return value


def short_label(label: Promise | str) -> str:
    """"Legal (lawyers, notaries, legal advice)" -> "Legal", for narrow table columns."""
    return str(label).split(" (")[0]


def verdict_label(verdict: str) -> Promise | str:
    return OPTION_NAMES.get(verdict, verdict)


def plan_label(plan: str) -> Promise | str:
    return PLANS[plan].name if plan in PLANS else plan


def choices_of(question: str) -> list[tuple[str, Promise]]:
    return [(choice.value, choice.label) for choice in QUESTIONS[question].choices]


VERDICT_CHOICES = list(OPTION_NAMES.items())
PLAN_CHOICES = [(key, plan.name) for key, plan in PLANS.items()]


