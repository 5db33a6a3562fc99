"""What changed between two stored advices (the yearly check-up): a pure function over keys."""

from django.utils import translation

from advisor.advice import labels
from advisor.advice.changes import AnswerChange, advice_changes, answer_rows
from advisor.advice.engine import advise

SOLO = {"team_size": "solo", "sector": "general", "email_intensity": "light",
        "calendar": "not_needed"}
GROWN = {**SOLO, "team_size": "6_15", "sector": "healthcare_patient", "sensitive_data": "lots",
         "calendar": "shared"}


def stored(answers: dict[str, str]) -> dict:
    return advise(answers).as_dict()


def test_the_same_answers_change_nothing():
    changes = advice_changes(stored(SOLO), stored(SOLO))
    assert not changes.any
    assert changes.answers == () and changes.verdict is None and changes.plan is None


def test_a_business_that_grew_sees_its_new_verdict_plan_measures_and_answers():
    before, after = stored(SOLO), stored(GROWN)
    changes = advice_changes(before, after)
    assert changes.any
    assert changes.verdict == (before["verdict"], after["verdict"]) == ("imap", "m365")
    assert changes.plan == (before["plan"], after["plan"])
    assert set(changes.measures_added) == (
        {m["key"] for m in after["security_measures"]}
        - {m["key"] for m in before["security_measures"]})
    assert changes.measures_added
    assert [change.question for change in changes.answers] == [
        "team_size", "sector", "sensitive_data", "calendar"]
    assert changes.answers[0] == AnswerChange("team_size", "solo", "6_15")


def test_the_changes_are_named_with_the_tables_labels_in_the_active_language():
    changes = advice_changes(stored(SOLO), stored(GROWN))
    with translation.override("en"):
        row = answer_rows(changes)[0]
        assert (str(row.question), str(row.before), str(row.after)) == (
            "How many people in your business use e-mail?", "Just me", "6 to 15 people")
    with translation.override("nl"):
        assert str(answer_rows(changes)[0].after) == str(labels.answer_label("team_size", "6_15"))


def test_a_question_the_table_no_longer_has_still_shows_as_its_key():
    before, after = stored(SOLO), stored(SOLO)
    before["answers"] = {**before["answers"], "fax_machine": "yes"}
    changes = advice_changes(before, after)
    assert changes.answers == (AnswerChange("fax_machine", "yes", None),)
    [row] = answer_rows(changes)
    assert (row.question, row.before, row.after) == ("fax_machine", "yes", None)
