"""Parts of pages rendered once and cached still show each visitor their own page, and a
change to what they are made of shows at once."""

import re
from dataclasses import replace

import pytest
from django.template.autoreload import reset_loaders
from django.test import Client
from django.utils import translation

from advisor.advice import table as q
from advisor.lib import fragments
from advisor.models import ConsultantProfile
from advisor.questionnaire.services import create_submission
from tests.conftest import ANSWERS, PRACTICE, STEP_NAMES

pytestmark = pytest.mark.django_db

FIRST, SECOND = STEP_NAMES[0], STEP_NAMES[1]
CONTACT = {"name": "Eva Jansen", "company": "Huisartsenpraktijk Jansen",
           "email": "eva@praktijkjansen.nl"}
ERROR = {"nl": "Kies een van de opties.", "en": "Choose one of the options."}


@pytest.fixture(autouse=True)
def _empty_process_cache(monkeypatch):
    """Each test starts with nothing rendered in this process (the shared cache is fresh
    per test already), so a test sees its own renders and cache hits only."""
    monkeypatch.setattr(fragments, "_local", fragments._LocalEntries(fragments.LOCAL_ENTRIES))


def checked(html: str, name: str) -> list[str]:
    """The values of the radio buttons named `name` that are checked."""
    return [value for value, rest in re.findall(
        rf'<input type="radio"[^>]*name="{name}" value="([^"]*)"([^>]*)>', html)
        if " checked" in rest]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_each_visitor_sees_their_own_answers_on_a_cached_step(questionnaire, language):
    key = next(iter(ANSWERS[FIRST]))
    values = [choice.value for choice in q.QUESTIONS[key].choices if choice.offered]
    visitors = []
    for value in values[:2]:
        client = Client()
        questionnaire.post(client, FIRST, {**ANSWERS[FIRST], key: value}, language)
        visitors.append((client, value))

    for client, value in visitors * 2:  # the second round from the cache
        html = client.get(questionnaire.url(FIRST, language)).content.decode()
        assert checked(html, key) == [value]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_refused_step_shows_its_errors_from_the_cache_too(questionnaire, language):
    first_key, *other_keys = ANSWERS[FIRST]
    for _ in range(2):  # rendered, then from the cache
        html = questionnaire.post(Client(), FIRST, {first_key: ANSWERS[FIRST][first_key]},
                                  language).content.decode()
        assert checked(html, first_key) == [ANSWERS[FIRST][first_key]]
        assert f'id="id_{other_keys[0]}_error"' in html
        assert html.count(ERROR[language]) >= len(other_keys)
        assert f'id="id_{first_key}_error"' not in html

    fine = Client()
    questionnaire.post(fine, FIRST, ANSWERS[FIRST], language)
    html = fine.get(questionnaire.url(FIRST, language)).content.decode()
    assert ERROR[language] not in html


def test_the_cached_step_is_the_page_the_template_renders(questionnaire, monkeypatch):
    client = Client()
    questionnaire.post(client, FIRST, ANSWERS[FIRST])
    rendered = client.get(questionnaire.url(SECOND)).content.decode()
    cached = client.get(questionnaire.url(SECOND)).content.decode()
    monkeypatch.setattr(fragments, "cached_html", lambda parts, render: render())

    def without_nonces(page: str) -> str:
        return re.sub(r'(nonce|value)="[^"]{20,}"', "", page)

    assert without_nonces(cached) == without_nonces(rendered)


def test_a_reworded_question_shows_at_once(client, questionnaire, edit_table):
    key = next(iter(ANSWERS[FIRST]))
    assert "Met hoeveel zijn jullie?" not in client.get(questionnaire.url(FIRST)).content.decode()
    steps = [replace(step, questions=tuple(
        replace(question, label="Met hoeveel zijn jullie?") if question.key == key
        else question for question in step.questions)) for step in q.STEPS]
    edit_table(steps)

    assert "Met hoeveel zijn jullie?" in client.get(questionnaire.url(FIRST)).content.decode()


def result_html(client: Client, answers: dict[str, str] | None = None) -> str:
    flat = {key: value for step in ANSWERS.values() for key, value in step.items()}
    submission = create_submission(answers=flat if answers is None else answers,
                                   language="nl", contact=CONTACT)
    return client.get(submission.get_absolute_url()).content.decode()


def verdict(html: str) -> str:
    return re.search(r'<h2 id="verdict"[^>]*>([^<]*)</h2>', html).group(1)


def test_each_advice_shows_its_own_verdict_from_the_cache(client):
    imap = {"team_size": "solo", "email_intensity": "light", "calendar": "not_needed",
            "budget": "minimal", "growth": "moderate"}
    practice_first = verdict(result_html(client, PRACTICE))
    imap_first = verdict(result_html(client, imap))

    assert practice_first != imap_first
    assert verdict(result_html(client, PRACTICE)) == practice_first
    assert verdict(result_html(client, imap)) == imap_first


def test_the_cached_result_page_is_the_page_the_template_renders(client, monkeypatch):
    flat = {key: value for step in ANSWERS.values() for key, value in step.items()}
    submission = create_submission(answers=flat, language="nl", contact=CONTACT)
    url = submission.get_absolute_url()
    client.get(url)
    cached = client.get(url).content.decode()
    monkeypatch.setattr(fragments, "cached_html", lambda parts, render: render())
    rendered = client.get(url).content.decode()

    def without_nonces(page: str) -> str:
        return re.sub(r'(nonce|value)="[^"]{20,}"', "", page)

    assert without_nonces(cached) == without_nonces(rendered)


def test_a_changed_brand_colour_shows_in_the_cached_advice_at_once(client):
    profile = ConsultantProfile.from_settings()
    profile.pk = ConsultantProfile.SINGLETON_ID
    profile.primary_color = "#1f4e79"
    profile.save()
    assert 'fill="#1f4e79"' in result_html(client)

    profile.primary_color = "#aa0000"
    profile.save()

    html = result_html(client)
    assert 'fill="#aa0000"' in html and 'fill="#1f4e79"' not in html


def test_the_result_page_is_in_the_visitors_language_from_the_cache(client):
    flat = {key: value for step in ANSWERS.values() for key, value in step.items()}
    submission = create_submission(answers=flat, language="nl", contact=CONTACT)
    dutch = client.get(submission.get_absolute_url()).content.decode()
    with translation.override("en"):
        english = client.get(submission.get_absolute_url()).content.decode()

    assert "Waarom dit advies" in dutch and "Why this advice" not in dutch
    assert "Why this advice" in english and "Waarom dit advies" not in english


def test_pages_render_when_the_shared_cache_is_down(client, questionnaire, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}
    settings.RATELIMIT_ENABLE = False  # counted in the same cache
    assert client.get("/").status_code == 200
    html = client.get(questionnaire.url(FIRST)).content.decode()
    assert checked(html, next(iter(ANSWERS[FIRST]))) == []


# A page cached whole (web/fragments.shared_page) holds its fragments' HTML too.
@pytest.mark.parametrize("naming", ['{% include "inner.html" %}',
                                    '{% load fragments %}{% fragment "inner.html" %}'])
def test_a_template_digest_changes_with_a_template_it_includes(tmp_path, settings, naming):
    (tmp_path / "outer.html").write_text(f"<p>{naming}</p>")
    inner = tmp_path / "inner.html"
    inner.write_text("one")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    before = fragments.template_digest("outer.html")

    inner.write_text("two, longer")
    reset_loaders()  # as the development server does when a template changes

    assert fragments.template_digest("outer.html") != before


def test_a_renamed_step_shows_on_the_home_page_at_once(client, edit_table):
    assert "Over jullie zaak" not in client.get("/").content.decode()
    edit_table([replace(q.STEPS[0], title="Over jullie zaak"), *q.STEPS[1:]])

    assert "Over jullie zaak" in client.get("/").content.decode()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_home_page_from_the_cache_is_in_the_visitors_language(client, language):
    prefix = "" if language == "nl" else "/en"
    for _ in range(2):
        html = client.get(f"{prefix}/").content.decode()
        with translation.override(language):
            assert str(q.question_steps()[0].title) in html
        assert ("Waarom geen POP?" in html) == (language == "nl")
