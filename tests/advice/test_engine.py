"""The engine reproduces the conclusions of the consultant's document."""

import pytest
from django.utils import translation

from advisor.advice import table as q
from advisor.advice.engine import INVALID_ANSWER, Advice, InvalidAnswers, advise

ALL_MEASURES = ["mfa", "access_control", "logging_monitoring", "demonstrable_settings"]

# A one-person business with simple needs: the baseline the document calls "eenvoudig".
SIMPLE = {
    "team_size": "solo", "sector": "general", "sensitive_data": "no", "growth": "none",
    "email_intensity": "light", "devices": "two", "shared_mailboxes": "none",
    "calendar": "not_needed", "contacts_tasks": "no", "collaboration": "none",
    "office_apps": "none", "security_importance": "basic", "stability_importance": "normal",
    "sector_requirements": "no", "current_setup": "imap", "it_support": "self",
    "budget": "minimal",
}


def situation(**changes: str) -> dict[str, str]:
    return {**SIMPLE, **changes}


# (description, answers, verdict, plan)
DOCUMENT_CONCLUSIONS = [
    ("simple situation: IMAP can be enough", SIMPLE, "imap", "imap_hosting"),
    ("intensive e-mail and planning", situation(
        email_intensity="heavy", calendar="shared", contacts_tasks="yes", team_size="2_5",
        budget="balanced"), "m365", "exchange_online_plan_1"),
    ("several people working together", situation(
        team_size="6_15", collaboration="intensive", shared_mailboxes="few",
        calendar="shared", budget="balanced"), "m365", "business_basic"),
    ("higher security requirements", situation(
        security_importance="critical", stability_importance="high", sensitive_data="some",
        budget="balanced"), "m365", "business_premium"),
    ("law firm with sensitive data", situation(sector="legal", sensitive_data="lots"),
     "m365", "business_premium"),
    ("healthcare with sensitive data", situation(sector="healthcare", sensitive_data="some"),
     "m365", "business_premium"),
    ("financial services with sensitive data", situation(
        sector="financial", sensitive_data="lots"), "m365", "business_premium"),
    ("requirements imposed by clients or insurer", situation(sector_requirements="yes"),
     "m365", "business_premium"),
    ("team that wants the desktop Office apps", situation(
        team_size="6_15", office_apps="desktop", calendar="shared", budget="balanced"),
     "m365", "business_standard"),
]


@pytest.mark.parametrize(("answers", "verdict", "plan"),
                         [case[1:] for case in DOCUMENT_CONCLUSIONS],
                         ids=[case[0] for case in DOCUMENT_CONCLUSIONS])
def test_document_conclusions(answers, verdict, plan):
    advice = advise(answers)
    assert (advice.verdict, advice.plan) == (verdict, plan)


def test_simple_situation_gets_a_clear_imap_advice_with_two_factor_authentication():
    advice = advise(SIMPLE)
    assert advice.clear
    assert advice.scores["imap"] > advice.scores["m365"]
    assert [m.key for m in advice.security_measures] == ["mfa"]
    assert all(r.towards == "imap" for r in advice.reasons)


@pytest.mark.parametrize("sector", ["legal", "healthcare", "financial"])
def test_regulated_sector_with_sensitive_data_is_decided_by_rule_whatever_the_points(sector):
    # Everything else leans to IMAP, yet the document's sector conclusion wins.
    advice = advise(situation(sector=sector, sensitive_data="some"))
    assert advice.scores["imap"] > advice.scores["m365"]
    assert advice.verdict == "m365" and advice.clear
    assert advice.decisive_rule == "regulated_sector_with_sensitive_data"
    assert [m.key for m in advice.security_measures] == ALL_MEASURES


@pytest.mark.parametrize(("sector", "norm"), [
    ("healthcare", "nen_7510"), ("healthcare", "nta_7516"), ("legal", "nova"),
    ("financial", "dora"), ("financial", "dnb"),
])
def test_sector_measures_name_the_norm_that_asks_for_them(sector, norm):
    advice = advise(situation(sector=sector, sensitive_data="lots"))
    for measure in advice.security_measures:
        assert norm in measure.norms
        assert "avg_32" in measure.norms


def test_healthcare_logging_points_at_nen_7513():
    advice = advise(situation(sector="healthcare", sensitive_data="lots"))
    logging = next(m for m in advice.security_measures if m.key == "logging_monitoring")
    mfa = next(m for m in advice.security_measures if m.key == "mfa")
    assert "nen_7513" in logging.norms and "nen_7513" not in mfa.norms


def test_imposed_requirements_are_named_as_the_norm():
    advice = advise(situation(sector_requirements="yes"))
    assert advice.decisive_rule == "imposed_requirements"
    assert all("imposed" in m.norms for m in advice.security_measures)


def test_every_reason_names_its_factor_direction_and_a_sentence():
    advice = advise(situation(team_size="6_15", calendar="shared", budget="minimal"))
    factors = {r.factor: r for r in advice.reasons}
    assert factors["team_size"].towards == "m365"
    assert factors["calendar"].towards == "m365"
    assert factors["budget"].towards == "imap"
    assert "devices" not in factors  # "two devices" pushes neither way
    assert all(str(r.text).endswith(".") for r in advice.reasons)
    assert [r.points for r in advice.reasons] == sorted((r.points for r in advice.reasons),
                                                        reverse=True)


def test_pop_users_get_a_plain_explanation_why_pop_does_not_fit():
    advice = advise(situation(current_setup="pop"))
    assert "pop" in advice.notes
    assert "replace_pop" in advice.next_steps
    assert "pop" not in advise(SIMPLE).notes


def test_starting_with_imap_while_expecting_growth_gets_the_migration_note():
    advice = advise(situation(growth="moderate"))
    assert advice.verdict == "imap"
    assert "migration" in advice.notes
    assert "migration" not in advise(SIMPLE).notes


def test_a_narrow_margin_is_reported_as_a_close_call():
    advice = advise(situation(
        email_intensity="moderate", budget="balanced", calendar="personal", team_size="2_5",
        current_setup="none", security_importance="important"))
    assert abs(advice.scores["imap"] - advice.scores["m365"]) <= q.CLOSE_CALL_MARGIN
    assert not advice.clear
    assert "close_call" in advice.notes


def test_missing_answers_take_the_documented_defaults():
    advice = advise({"sector": "legal"})
    assert advice.answers["team_size"] == q.QUESTIONS["team_size"].default
    assert len(advice.answers) == len(q.QUESTIONS)


def test_unknown_question_is_refused_with_its_key():
    with pytest.raises(InvalidAnswers) as error:
        advise({"colour": "blue"})
    assert error.value.key == "colour"


def test_invalid_answer_is_refused_with_the_valid_choices():
    with pytest.raises(InvalidAnswers) as error:
        advise({"sector": "bank"})
    choices = "legal, healthcare, financial, other_sensitive, general"
    assert str(error.value) == INVALID_ANSWER.format(key="sector", value="bank", choices=choices)


def test_the_same_answers_always_give_the_same_advice():
    assert advise(SIMPLE) == advise(dict(reversed(list(SIMPLE.items()))))


def test_a_stored_advice_rebuilds_identically_from_its_keys():
    advice = advise(situation(sector="healthcare", sensitive_data="lots", current_setup="pop"))
    assert Advice.from_dict(advice.as_dict()) == advice


def test_texts_follow_the_active_language():
    advice = advise(situation(sector="legal", sensitive_data="lots"))
    with translation.override("en"):
        english = advice.as_dict()
    with translation.override("nl"):
        dutch = advice.as_dict()
    assert english["headline"] == "Microsoft 365 (Exchange Online) fits your business better."
    assert dutch["headline"] != english["headline"]
    assert dutch["reasons"][0]["text"] != english["reasons"][0]["text"]
