"""The engine reproduces the conclusions of the consultant's document."""

import pytest
from django.utils import translation

from advisor.advice import table as q
from advisor.advice.engine import INVALID_ANSWER, Advice, InvalidAnswers, advise

TEAM_MEASURES = ["mfa", "conditional_access", "audit_logging", "recorded_settings"]

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
        team_size="2_5", security_importance="critical", stability_importance="high",
        sensitive_data="some", budget="balanced"), "m365", "business_premium"),
    ("law firm with sensitive data", situation(
        team_size="2_5", sector="advocatuur", sensitive_data="lots"),
     "m365", "business_premium"),
    ("healthcare with sensitive data", situation(
        team_size="2_5", sector="healthcare_patient", sensitive_data="some"),
     "m365", "business_premium"),
    ("financial adviser with sensitive data", situation(
        team_size="2_5", sector="financial_advice", sensitive_data="lots"),
     "m365", "business_premium"),
    ("requirements imposed by clients or insurer", situation(
        team_size="2_5", sector_requirements="yes"), "m365", "business_premium"),
    ("one person alone with sensitive data: logging, no device rules", situation(
        sector="advocatuur", sensitive_data="lots"), "m365", "business_basic"),
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


@pytest.mark.parametrize("sector", sorted(q.REGULATED_SECTORS))
def test_regulated_sector_with_sensitive_data_is_decided_by_rule_whatever_the_points(sector):
    # Everything else leans to IMAP, yet a measure IMAP cannot deliver decides.
    advice = advise(situation(sector=sector, sensitive_data="some", team_size="2_5"))
    assert advice.scores["imap"] > advice.scores["m365"]
    assert advice.verdict == "m365" and advice.clear
    assert advice.decisive_rule == "required_measure_beyond_imap"
    assert [m.key for m in advice.security_measures] == TEAM_MEASURES


# Per sector: the norms that must be cited and those that must NOT, for a team of three
# that mails sensitive data now and then, sometimes confidential data to clients, and
# must keep mail for years (20 in healthcare, 7 elsewhere).
SECTOR_NORMS = {
    "advocatuur": ({"avg_32", "nova_voda"}, {"knb_wna", "nba_vgba", "wft_afm", "dora",
                                              "nen_7510", "nen_7513", "nta_7516", "wgbo"}),
    "notariaat": ({"avg_32", "knb_wna"}, {"nova_voda", "nba_vgba", "wft_afm", "dora",
                                          "nen_7510", "nta_7516"}),
    "legal_other": ({"avg_32"}, {"nova_voda", "knb_wna", "nba_vgba", "wft_afm", "dora"}),
    "healthcare_patient": ({"avg_32", "nen_7510", "nen_7513", "nta_7516", "wgbo"},
                           {"nova_voda", "knb_wna", "nba_vgba", "wft_afm", "dora", "awr_52"}),
    "care_other": ({"avg_32"}, {"nen_7510", "nen_7513", "nta_7516", "wgbo", "nova_voda"}),
    "accountancy": ({"avg_32", "nba_vgba", "awr_52"}, {"dora", "wft_afm", "nova_voda",
                                                       "nen_7510"}),
    "bookkeeping_payroll": ({"avg_32", "awr_52"}, {"nba_vgba", "dora", "wft_afm",
                                                   "nova_voda", "nen_7510"}),
    "financial_advice": ({"avg_32", "wft_afm", "awr_52"}, {"dora", "nba_vgba", "nova_voda",
                                                           "knb_wna", "nen_7510"}),
    "financial_institution": ({"avg_32", "wft_afm", "dora", "awr_52"},
                              {"nba_vgba", "nova_voda", "knb_wna", "nen_7510"}),
    "other_sensitive": ({"avg_32"}, {"nova_voda", "knb_wna", "nba_vgba", "wft_afm", "dora",
                                     "nen_7510", "nen_7513", "nta_7516", "wgbo"}),
    "general": ({"avg_32"}, {"nova_voda", "knb_wna", "nba_vgba", "wft_afm", "dora",
                             "nen_7510", "nen_7513", "nta_7516", "wgbo"}),
}


def cited(advice) -> set[str]:
    return {norm for measure in advice.security_measures for norm in measure.norms}


def test_every_offered_sector_has_its_norms_listed_here():
    offered = {c.value for c in q.QUESTIONS["sector"].choices if c.offered}
    assert offered == set(SECTOR_NORMS)


@pytest.mark.parametrize("sector", sorted(SECTOR_NORMS))
def test_each_sector_is_shown_the_norms_that_apply_to_it_and_none_other(sector):
    must, must_not = SECTOR_NORMS[sector]
    retention = "medical" if sector == "healthcare_patient" else "fiscal"
    advice = advise(situation(sector=sector, sensitive_data="some", team_size="2_5",
                              secure_mail="sometimes", retention_need=retention))
    assert must <= cited(advice)
    assert not cited(advice) & must_not


def test_a_norm_is_cited_only_on_the_measures_it_asks_for():
    advice = advise(situation(sector="healthcare_patient", sensitive_data="lots",
                              team_size="2_5", secure_mail="regularly"))
    by_key = {m.key: m for m in advice.security_measures}
    assert "nen_7513" in by_key["audit_logging"].norms
    assert "nen_7513" not in by_key["mfa"].norms
    assert "nta_7516" in by_key["secure_email"].norms
    assert "nta_7516" not in by_key["conditional_access"].norms


def test_norms_help_meet_requirements_and_never_claim_compliance():
    texts = [str(n.label) for n in q.NORMS.values()]
    texts += [str(r.reason) for r in q.DECISIVE_RULES]
    for text in texts:
        assert "you comply" not in text.lower() and "you meet it" not in text.lower()


def test_imposed_requirements_are_named_as_the_norm():
    advice = advise(situation(sector_requirements="yes"))
    assert advice.decisive_rule == "required_measure_beyond_imap"
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
    choices = ", ".join(q.QUESTIONS["sector"].values)
    assert str(error.value) == INVALID_ANSWER.format(key="sector", value="bank", choices=choices)


def test_the_same_answers_always_give_the_same_advice():
    assert advise(SIMPLE) == advise(dict(reversed(list(SIMPLE.items()))))


def test_a_stored_advice_rebuilds_identically_from_its_keys():
    advice = advise(situation(sector="healthcare_patient", sensitive_data="lots",
                              current_setup="pop", secure_mail="regularly"))
    assert Advice.from_dict(advice.as_dict()) == advice


def test_texts_follow_the_active_language():
    advice = advise(situation(sector="advocatuur", sensitive_data="lots", current_setup="none"))
    with translation.override("en"):
        english = advice.as_dict()
    with translation.override("nl"):
        dutch = advice.as_dict()
    assert english["headline"] == "Microsoft 365 (Exchange Online) fits your business better."
    assert dutch["headline"] != english["headline"]
    assert dutch["reasons"][0]["text"] != english["reasons"][0]["text"]


def test_an_imap_advice_says_how_two_factor_sign_in_works_for_mail_programs():
    advice = advise(SIMPLE)
    assert advice.verdict == "imap"
    with translation.override("en"):
        texts = [str(advice.plan_info.summary), *map(str, advice.next_step_texts)]
    assert any("app password" in text for text in texts)
    assert any("modern sign-in" in text for text in texts)
