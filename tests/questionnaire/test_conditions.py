"""Steps and questions asked only when they are relevant, with a table edited for the test.

The fixture adds what issue 10 will add for real (plain strings: a test's texts stay out of
the translation catalogue): a question about keeping e-mail that only
regulated sectors are asked, and a step about audits that only visitors with imposed
requirements see. Each defaults to its "not applicable" answer.
"""

import re

import pytest

from advisor.advice import table as q
from advisor.advice.engine import advise
from advisor.models import Submission
from tests.conftest import with_question

pytestmark = pytest.mark.django_db

RETENTION = q.Question(
    key="retention", label="How long must you keep your e-mail?",
    why="Some sectors must keep correspondence for years.",
    default="not_applicable", condition=q.when({"sector": q.REGULATED_SECTORS}),
    choices=(
        q.Choice("not_applicable", "There is no rule for us"),
        q.Choice("years", "Several years", m365=2, reason="Archiving for years fits M365."),
    ),
)
AUDIT_STEP = q.Step(
    name="audit", title="Audits", intro="How your security is checked.",
    condition=q.when({"sector_requirements": "yes"}),
    questions=(q.Question(
        key="audit", label="How often is your security audited?", why="Audits ask proof.",
        default="never",
        choices=(q.Choice("never", "Never"),
                 q.Choice("yearly", "Every year", m365=1, reason="Audits want records.")),
    ),),
)


@pytest.fixture
def conditional_table(edit_table):
    steps = with_question(q.STEPS, "email", RETENTION)
    index = [step.name for step in steps].index("security") + 1
    edit_table([*steps[:index], AUDIT_STEP, *steps[index:]])


def fields_on(client, questionnaire, step: str) -> set[str]:
    html = client.get(questionnaire.url(step)).content.decode()
    radios = re.findall(r'<input[^>]*type="radio"[^>]*>', html)
    return {re.search(r'name="([a-z_]+)"', radio).group(1) for radio in radios}


def post(client, questionnaire, step: str, **answers):
    return questionnaire.post(client, step, {**questionnaire.answers.get(step, {}), **answers})


def test_a_conditional_question_is_asked_only_when_its_condition_holds(
        client, questionnaire, conditional_table):
    post(client, questionnaire, "business", sector="healthcare_patient")
    assert "retention" in fields_on(client, questionnaire, "email")

    other = type(client)()
    post(other, questionnaire, "business", sector="general")
    assert "retention" not in fields_on(other, questionnaire, "email")
    assert fields_on(other, questionnaire, "email") == {"email_intensity", "devices",
                                                        "shared_mailboxes", "field_workers"}


def test_a_conditional_step_is_skipped_when_its_condition_does_not_hold(
        client, questionnaire, conditional_table):
    for step in ("business", "email", "planning"):
        post(client, questionnaire, step, retention="years")
    skipped = post(client, questionnaire, "security", sector_requirements="no")
    assert skipped["Location"] == questionnaire.url("situation")
    html = client.get(questionnaire.url("situation")).content.decode()
    assert "Stap 5 van 6" in html  # the skipped step is not counted either

    shown = post(client, questionnaire, "security", sector_requirements="yes")
    assert shown["Location"] == questionnaire.url("audit")
    assert "Stap 5 van 7" in client.get(questionnaire.url("audit")).content.decode()
    # Not yet answered, so the step after it leads back to it.
    assert client.get(questionnaire.url("situation"))["Location"] == questionnaire.url("audit")


def test_answers_to_what_was_asked_are_stored_and_scored(client, questionnaire,
                                                         conditional_table):
    response = questionnaire.complete(client, answers={
        "sector": "healthcare_patient", "sector_requirements": "yes", "retention": "years",
        "audit": "yearly"})
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.answers["retention"] == "years" and submission.answers["audit"] == "yearly"
    assert {"retention", "audit"} <= {r["factor"] for r in submission.advice["reasons"]}


def test_a_question_that_was_not_asked_counts_as_its_default(client, questionnaire,
                                                            conditional_table):
    questionnaire.complete(client, answers={"sector": "general", "sector_requirements": "no",
                                            "retention": "years", "audit": "yearly"})
    submission = Submission.objects.get()
    assert submission.answers["retention"] == "not_applicable"
    assert submission.answers["audit"] == "never"
    assert not {"retention", "audit"} & {r["factor"] for r in submission.advice["reasons"]}


def test_the_engine_ignores_an_answer_to_a_question_that_is_not_asked(conditional_table):
    asked = advise({"sector": "advocatuur", "retention": "years"})
    not_asked = advise({"sector": "general", "retention": "years"})
    assert asked.answers["retention"] == "years"
    assert not_asked.answers["retention"] == "not_applicable"
    assert not_asked.scores == advise({"sector": "general"}).scores


def test_back_with_a_changed_answer_asks_the_new_question_before_going_on(
        client, questionnaire, conditional_table):
    """Back to the first step, another sector, then a jump ahead: the step that now asks one
    more question comes first, showing what was answered there as a draft."""
    post(client, questionnaire, "business", sector="general")
    post(client, questionnaire, "email", email_intensity="heavy")
    post(client, questionnaire, "planning")
    back = post(client, questionnaire, "security", sector_requirements="no",
                wizard_goto_step="business")
    assert back["Location"] == questionnaire.url("business")

    post(client, questionnaire, "business", sector="advocatuur")
    ahead = client.get(questionnaire.url("situation"))
    assert ahead["Location"] == questionnaire.url("email")
    html = client.get(questionnaire.url("email")).content.decode()
    assert 'name="retention"' in html
    assert re.search(r'name="email_intensity" value="heavy"[^>]*checked', html)
    assert "alert-danger" not in html
    # Answered, the jump ahead works again; security kept its answers from before.
    post(client, questionnaire, "email", email_intensity="heavy", retention="years")
    assert client.get(questionnaire.url("situation")).status_code == 200
    html = client.get(questionnaire.url("security")).content.decode()
    assert re.search(r'name="sector_requirements" value="no"[^>]*checked', html)


def test_a_step_that_stops_applying_is_skipped_and_its_answers_are_not_stored(
        client, questionnaire, conditional_table):
    for step in ("business", "email", "planning"):
        post(client, questionnaire, step, retention="years")
    post(client, questionnaire, "security", sector_requirements="yes")
    post(client, questionnaire, "audit", audit="yearly")
    back = post(client, questionnaire, "situation", wizard_goto_step="audit")
    assert back["Location"] == questionnaire.url("audit")
    post(client, questionnaire, "audit", wizard_goto_step="security", audit="yearly")

    onward = post(client, questionnaire, "security", sector_requirements="no")
    assert onward["Location"] == questionnaire.url("situation")
    post(client, questionnaire, "situation")
    post(client, questionnaire, "current")
    assert client.get(questionnaire.url("audit"))["Location"] == questionnaire.url("business")
    stored = questionnaire.post(client, "contact", questionnaire.contact)
    assert stored.status_code == 302
    assert Submission.objects.get().answers["audit"] == "never"
