"""The result page never contradicts its own verdict, and says what to do with what you have."""

from django.utils.html import escape

from advisor.advice import table as q
from advisor.reports.presenters import SCORE_CAPTION, SCORE_CAPTION_RULED
from tests.factories import make_lead

# Everything leans to IMAP, but a team of three mails patient data: a rule decides.
RULED = {"team_size": "2_5", "sector": "healthcare_patient", "sensitive_data": "some",
         "secure_mail": "sometimes", "email_intensity": "light", "calendar": "not_needed",
         "budget": "minimal", "security_importance": "basic", "current_setup": "imap"}
SIMPLE = {"team_size": "solo", "email_intensity": "light", "calendar": "not_needed",
          "budget": "minimal", "security_importance": "basic", "current_setup": "imap"}


def page(client, answers) -> str:
    lead = make_lead(answers=answers)
    return client.get(f"/advies/{lead.token}/").content.decode()


def test_when_a_rule_decides_the_page_shows_it_above_bars_that_say_the_rule_decides(client, db):
    html = page(client, RULED)
    rule = escape(str(q.DECISIVE_RULES[0].reason))
    assert rule in html
    assert html.index(rule) < html.index('class="score-chart"')
    assert escape(str(SCORE_CAPTION_RULED)) in html
    assert escape(str(SCORE_CAPTION)) not in html


def test_without_a_rule_the_bars_carry_their_usual_caption(client, db):
    html = page(client, SIMPLE)
    assert escape(str(SCORE_CAPTION)) in html
    assert escape(str(SCORE_CAPTION_RULED)) not in html


def test_the_page_says_what_to_do_with_the_current_setup_and_names_the_add_on(client, db):
    html = page(client, RULED)
    assert escape(str(q.SETUP_ADVICE_TEXTS[q.MOVE])) in html
    # Business Premium delivers secure mail itself in general, but in healthcare a
    # certified secure-mail service is the safe choice only on the smaller plans.
    assert escape(str(q.ADD_ONS["secure_mail_service"].name)) not in html
    solo_page = page(client, {**SIMPLE, "sector": "care_other", "sensitive_data": "some",
                              "secure_mail": "sometimes"})
    assert escape(str(q.ADD_ONS["secure_mail_service"].name)) in solo_page
    assert escape(str(q.SETUP_ADVICE_TEXTS[q.STAY])) in solo_page


def test_a_microsoft_365_customer_is_told_to_keep_it_with_the_right_plan(client, db):
    html = page(client, {**SIMPLE, "current_setup": "m365",
                         "current_m365_plan": "business_standard"})
    assert escape(str(q.SETUP_HEADLINES[("m365", q.RIGHT_SIZE)])) in html
    assert escape(str(q.PLANS["exchange_online_plan_1"].name)) in html
