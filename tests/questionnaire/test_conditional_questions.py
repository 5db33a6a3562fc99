"""The consultant's extra questions are asked only when relevant (issue 10)."""

import re

import pytest

from advisor.advice import table as q
from advisor.advice.engine import asked_answers
from tests.conftest import answers_per_step
from tests.questionnaire.test_conditions import fields_on

# The 17 questions of engine 2026.11.1, before the conditional questions came.
QUESTIONS_BEFORE = {
    "team_size", "sector", "sensitive_data", "growth", "email_intensity", "devices",
    "shared_mailboxes", "calendar", "contacts_tasks", "collaboration", "office_apps",
    "security_importance", "stability_importance", "sector_requirements", "current_setup",
    "it_support", "budget",
}
SOLO_NO_SPECIAL_NEEDS = {"team_size": "solo", "sector": "general", "sensitive_data": "no",
                         "current_setup": "imap"}


def walk(client, questionnaire, answers: dict[str, str]) -> list[str]:
    """Every question the wizard shows a visitor who gives these answers."""
    per_step = answers_per_step(answers)
    shown: list[str] = []
    step = q.STEPS[0].name
    client.get(questionnaire.url(step))
    while step != questionnaire.contact_step:
        shown += sorted(fields_on(client, questionnaire, step))
        response = questionnaire.post(client, step, per_step[step])
        step = next(name for name in questionnaire.steps
                    if response["Location"] == questionnaire.url(name))
    return shown


def test_a_solo_business_without_special_needs_answers_no_more_questions_than_before(
        client, questionnaire, db):
    shown = walk(client, questionnaire, SOLO_NO_SPECIAL_NEEDS)
    assert len(shown) == len(QUESTIONS_BEFORE)
    assert set(shown) == QUESTIONS_BEFORE


@pytest.mark.parametrize(("answers", "asked"), [
    ({"sector": "healthcare_patient", "sensitive_data": "some"}, {"secure_mail",
                                                                   "retention_need"}),
    ({"sector": "general", "sensitive_data": "lots"}, set()),
    ({"sector": "other_sensitive", "sensitive_data": "lots"}, {"secure_mail"}),
    ({"sector": "bookkeeping_payroll", "sensitive_data": "no"}, {"retention_need"}),
    ({"team_size": "6_15"}, {"field_workers"}),
    ({"current_setup": "m365"}, {"current_m365_plan"}),
    ({"current_setup": "google"}, {"own_domain"}),
    ({"current_setup": "none"}, {"own_domain"}),
])
def test_each_extra_question_is_asked_exactly_when_it_is_relevant(answers, asked):
    filled = {key: question.default for key, question in q.QUESTIONS.items()}
    filled.update({"team_size": "solo", "current_setup": "imap", **answers})
    extra = set(asked_answers(filled)) - QUESTIONS_BEFORE
    assert extra == asked


def test_the_wizard_offers_no_not_applicable_or_legacy_answer(client, questionnaire, db):
    html = client.get(questionnaire.url("business")).content.decode()
    offered = set(re.findall(r'name="sector" value="([a-z_]+)"', html))
    assert offered.isdisjoint(q.LEGACY_SECTORS)
    assert 'value="na"' not in html
