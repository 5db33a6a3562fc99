"""Thirty-six realistic businesses get the advice an experienced Dutch IT consultant would sign.

The businesses, the expected advice and why are in tests/advice/businesses.py; the facts
behind each expectation in docs/advice-rules-research.md.
"""

import pytest

from advisor.advice import table as q
from advisor.advice.engine import advise
from tests.advice.businesses import BUSINESSES, Business

# The notes whose presence the experts judged; others (close call, migration) may come too.
JUDGED_NOTES = {"contradictory_answers", "google_meets_needs", "google_lacks_measure",
                "large_team", "business_plans_stop_at_300", "pop",
                "medical_record_not_mailbox", "mixed_licences"}


def answers_of(business: Business) -> dict[str, str]:
    return {**business.answers, **business.proposed}


def cited(advice) -> set[str]:
    return {norm for measure in advice.security_measures for norm in measure.norms}


@pytest.fixture(params=BUSINESSES, ids=[b.key for b in BUSINESSES])
def business(request) -> Business:
    return request.param


def test_each_business_gets_the_verdict_and_plan_an_expert_would_sign(business):
    advice = advise(answers_of(business))
    expected = business.expected
    assert (advice.verdict, advice.plan) == (expected.verdict, expected.plan), expected.why
    if expected.clear is not None:
        assert advice.clear == expected.clear


def test_each_business_is_told_what_to_do_with_what_it_has_now(business):
    advice = advise(answers_of(business))
    assert advice.current_setup_advice == business.expected.current_setup_advice


def test_each_business_gets_exactly_the_measures_it_needs_and_their_add_ons(business):
    advice = advise(answers_of(business))
    assert {m.key for m in advice.security_measures} == business.expected.measures
    assert {a.key for a in advice.add_ons} == business.expected.add_ons


def test_each_business_is_shown_the_norms_that_apply_and_none_that_do_not(business):
    norms = cited(advise(answers_of(business)))
    assert business.expected.cite <= norms
    assert not norms & business.expected.must_not_cite


def test_each_business_gets_the_notes_its_situation_calls_for(business):
    advice = advise(answers_of(business))
    assert set(advice.notes) & JUDGED_NOTES == business.expected.notes


def test_no_imap_advice_lists_a_measure_an_imap_mailbox_cannot_deliver(business):
    advice = advise(answers_of(business))
    if advice.verdict == q.IMAP:
        beyond = {m.key for m in q.MEASURES if not m.on_imap}
        assert not {m.key for m in advice.security_measures} & beyond


def test_nobody_on_microsoft_365_is_told_to_go_to_imap(business):
    advice = advise(answers_of(business))
    if advice.answers["current_setup"] == "m365":
        assert advice.verdict == q.M365
        assert "migration" not in advice.notes and "choose_hosting" not in advice.next_steps
