"""The questionnaire and result page, driven through the test client as a visitor would."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from advisor.lib.mailbox import EMAIL_INVALID
from advisor.models import Submission

pytestmark = pytest.mark.django_db


def result_of(response):
    assert response.status_code == 302, getattr(response, "content", b"")[:500]
    return response["Location"]


def test_home_page_invites_to_start_in_dutch(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "nl"
    assert 'href="/vragen/business/"' in response.content.decode()


def test_full_flow_in_dutch_stores_the_submission_and_shows_the_advice(client, questionnaire):
    response = questionnaire.complete(client)
    location = result_of(response)
    submission = Submission.objects.get()
    assert location == f"/advies/{submission.token}/"
    assert submission.language == "nl"
    assert submission.answers["sector"] == "healthcare_patient"
    assert submission.verdict == "m365" and submission.plan == "business_premium"
    assert submission.advice["engine_version"] == submission.engine_version
    assert submission.consent_at is not None and submission.consent_version
    assert submission.company == "Huisartsenpraktijk Jansen"

    page = client.get(location)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Microsoft 365 Business Premium" in html
    assert "NEN 7510" in html and "NTA 7516" in html
    assert "Huisartsenpraktijk Jansen" in html
    assert 'lang="nl"' in html


def test_full_flow_in_english(client, questionnaire):
    location = result_of(questionnaire.complete(client, language="en"))
    assert location.startswith("/en/advies/")
    html = client.get(location).content.decode()
    assert "Microsoft 365 (Exchange Online) fits your business better." in html
    assert "Why this advice" in html
    assert Submission.objects.get().language == "en"


def test_progress_is_shown_on_every_step_in_both_languages(client, questionnaire):
    # The step about the current e-mail is counted once the visitor says what they use now.
    for index, step in enumerate(questionnaire.steps, start=1):
        total = 7 if index > questionnaire.steps.index("situation") + 1 else 6
        assert f"Step {index} of {total}" in client.get(
            questionnaire.url(step, "en")).content.decode()
        assert f"Stap {index} van {total}" in client.get(questionnaire.url(step)).content.decode()
        if step in questionnaire.answers:
            questionnaire.post(client, step, questionnaire.answers[step])


def test_each_question_explains_why_we_ask_it(client, questionnaire):
    html = client.get(questionnaire.url("business", "en")).content.decode()
    assert "Some sectors set stricter rules for data protection and security." in html


@pytest.mark.parametrize("step", ["business", "email", "planning", "security", "situation"])
def test_invalid_input_on_a_topic_step_shows_a_message_and_keeps_earlier_answers(
        client, questionnaire, step):
    steps = questionnaire.steps
    for earlier in steps[: steps.index(step)]:
        questionnaire.post(client, earlier, questionnaire.answers[earlier])
    bad = {key: "not-a-choice" for key in questionnaire.answers[step]}
    response = questionnaire.post(client, step, bad, language="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose one of the options." in html
    # The page opens at a summary that links to each question with a problem.
    assert re.search(r'<div class="error-summary" id="error-summary" tabindex="-1" autofocus', html)
    # Posted to the plain address: a #fragment from a summary link never reaches the next page.
    assert f'<form method="post" action="{questionnaire.url(step, "en")}" novalidate' in html
    for key in questionnaire.answers[step]:
        assert f'<a href="#id_{key}_group">' in html
    # Earlier answers survive: going back shows them selected.
    if step != "business":
        prev = steps[steps.index(step) - 1]
        html = client.get(questionnaire.url(prev, "en")).content.decode()
        key, value = next(iter(questionnaire.answers[prev].items()))
        assert re.search(rf'name="{key}" value="{value}"[^>]*checked', html)


def test_invalid_contact_details_show_messages_next_to_the_fields_and_lose_nothing(
        client, questionnaire):
    for step in questionnaire.steps[:-1]:
        questionnaire.post(client, step, questionnaire.answers[step])
    bad = {**questionnaire.contact, "email": "eva@", "consent": ""}
    response = questionnaire.post(client, "contact", bad, language="en")
    html = response.content.decode()
    assert response.status_code == 200
    with translation.override("en"):
        assert str(EMAIL_INVALID) in html
    assert "privacy statement" in html
    assert 'value="Huisartsenpraktijk Jansen"' in html  # what was typed stays
    assert Submission.objects.count() == 0
    fixed = questionnaire.post(client, "contact", questionnaire.contact)
    assert result_of(fixed).startswith("/advies/")
    assert Submission.objects.get().answers["current_setup"] == "pop"


def test_back_keeps_what_was_entered_on_the_current_step(client, questionnaire):
    questionnaire.post(client, "business", questionnaire.answers["business"])
    # Half-filled step, then Back: nothing valid yet, but the choice must survive.
    response = questionnaire.post(client, "email", {"email_intensity": "heavy",
                                                    "wizard_goto_step": "business"})
    assert response["Location"] == questionnaire.url("business")
    html = client.get(questionnaire.url("email")).content.decode()
    assert re.search(r'name="email_intensity" value="heavy"[^>]*checked', html)
    assert 'id="error-summary"' not in html


def test_back_from_a_complete_step_keeps_all_its_answers(client, questionnaire):
    questionnaire.post(client, "business", questionnaire.answers["business"])
    questionnaire.post(client, "email", {**questionnaire.answers["email"],
                                         "wizard_goto_step": "business"})
    html = client.get(questionnaire.url("email")).content.decode()
    for key, value in questionnaire.answers["email"].items():
        assert re.search(rf'name="{key}" value="{value}"[^>]*checked', html)


def test_answers_survive_a_reload(client, questionnaire):
    questionnaire.post(client, "business", questionnaire.answers["business"])
    html = client.get(questionnaire.url("business")).content.decode()
    assert re.search(r'name="sector" value="healthcare_patient"[^>]*checked', html)


def test_opening_a_later_step_early_leads_to_the_first_unanswered_step(client, questionnaire):
    response = client.get(questionnaire.url("security"))
    assert response["Location"] == questionnaire.url("business")
    questionnaire.post(client, "business", questionnaire.answers["business"])
    response = client.get(questionnaire.url("contact"))
    assert response["Location"] == questionnaire.url("email")


def test_posting_the_contact_step_without_earlier_answers_stores_nothing(client, questionnaire):
    response = questionnaire.post(client, "contact", questionnaire.contact)
    assert response.status_code == 302
    assert response["Location"] == questionnaire.url("business")
    assert Submission.objects.count() == 0
    # What was typed is kept for when the visitor gets back to the contact step.
    for step in questionnaire.steps[:-1]:
        questionnaire.post(client, step, questionnaire.answers[step])
    html = client.get(questionnaire.url("contact")).content.decode()
    assert 'value="Huisartsenpraktijk Jansen"' in html


def test_an_unknown_step_leads_to_the_first_step(client):
    response = client.get("/vragen/nonsense/")
    assert response.status_code == 302
    assert response["Location"] == "/vragen/business/"


def test_the_questionnaire_works_without_javascript(client):
    html = client.get("/vragen/business/").content.decode()
    assert "<script" not in html
    assert '<form method="post"' in html


def test_language_switch_keeps_the_answers(client, questionnaire):
    questionnaire.post(client, "business", questionnaire.answers["business"])
    response = client.post(reverse("set_language"),
                           {"language": "en", "next": "/vragen/email/"})
    assert response["Location"] == "/en/vragen/email/"
    html = client.get("/en/vragen/business/").content.decode()
    assert re.search(r'name="sector" value="healthcare_patient"[^>]*checked', html)


def test_every_page_has_a_language_switch(client):
    for url in ["/", "/vragen/business/", "/privacy/", "/en/privacy/"]:
        html = client.get(url, follow=True).content.decode()
        assert 'name="language" value="en"' in html and 'name="language" value="nl"' in html


def test_result_token_is_long_random_and_not_an_id(client, questionnaire):
    questionnaire.complete(client)
    questionnaire.complete(client)
    first, second = Submission.objects.order_by("pk")
    # 32 random bytes as URL-safe base64: 256 bits, not guessable from an id or a date.
    assert re.fullmatch(r"[A-Za-z0-9_-]{43,}", first.token)
    assert first.token != second.token
    assert client.get(f"/advies/{first.pk}/").status_code == 404


def test_unknown_or_tampered_token_gets_a_404(client, questionnaire):
    location = result_of(questionnaire.complete(client))
    assert client.get(location[:-2] + "x/").status_code == 404
    assert client.get("/advies/1/").status_code == 404


def test_result_page_shows_comparison_measures_next_steps_and_contact(client, questionnaire,
                                                                       settings):
    location = result_of(questionnaire.complete(client, language="en"))
    html = client.get(location).content.decode()
    assert "IMAP and Microsoft 365 compared" in html
    assert "depends on the hosting provider" in html
    assert "Two-factor authentication" in html
    assert "Logging and monitoring" in html
    assert "Next steps" in html
    assert "POP" in html  # the pop note for a POP user
    assert settings.BRANDING["email"] in html


def test_privacy_statement_is_available_in_both_languages(client):
    assert client.get("/privacy/").status_code == 200
    html = client.get("/en/privacy/").content.decode()
    assert "Privacy statement" in html and "months" in html


def test_imap_advice_with_expected_growth_shows_the_migration_path_under_next_steps(client):
    from advisor.questionnaire.services import create_submission

    submission = create_submission(
        answers={"team_size": "solo", "email_intensity": "light", "calendar": "not_needed",
                 "budget": "minimal", "growth": "moderate"},
        contact={"name": "Eva", "company": "Bakkerij Jansen", "email": "eva@bakkerij.nl"},
        language="en",
    )
    html = client.get(f"/en/advies/{submission.token}/").content.decode()
    assert submission.verdict == "imap"
    next_steps = html.index('id="next"')
    assert html.index("Later to Microsoft 365?") > next_steps
    assert "you can always move to Microsoft 365 later" in html


def test_the_favicon_request_of_admin_pages_finds_the_logo(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/logo.svg")


def test_each_questions_error_sits_right_under_its_legend_not_under_its_last_option(
        client, questionnaire):
    response = questionnaire.post(client, "business", {}, language="en")
    html = response.content.decode()
    for key in questionnaire.answers["business"]:
        fieldset = re.search(rf'<fieldset[^>]*id="id_{key}_group".*?</fieldset>', html, re.S)
        assert re.search(r'</legend>\s*<p class="field-error" id="id_\w+_error">', fieldset[0])
        assert f'aria-describedby="id_{key}_helptext id_{key}_error"' in fieldset[0]


def test_a_contact_error_is_summarised_with_a_link_to_its_field(client, questionnaire):
    for step in questionnaire.steps[:-1]:
        questionnaire.post(client, step, questionnaire.answers[step])
    bad = {**questionnaire.contact, "email": "eva@"}
    html = questionnaire.post(client, "contact", bad, language="en").content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)[0]
    assert 'autofocus' in summary
    with translation.override("en"):
        message = str(EMAIL_INVALID)
    assert ('<a href="#id_email_group">E-mail address</a> '
            f'<span class="error-summary-message">{message}</span>') in summary
    email_input = re.search(r'<input[^>]*name="email"[^>]*>', html)[0]
    assert 'aria-invalid="true"' in email_input
    # The error is announced with the field (after its help text, when it has one).
    described_by = re.search(r'aria-describedby="([^"]*)"', email_input)[1].split()
    assert described_by[-1] == "id_email_error"
