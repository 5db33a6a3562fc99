import pytest
from django.test import Client
from django.urls import reverse

from advisor.advice.table import STEPS

# A complete, valid set of answers per step, and valid contact details.
ANSWERS = {
    "business": {"team_size": "6_15", "sector": "healthcare", "sensitive_data": "lots",
                 "growth": "moderate"},
    "email": {"email_intensity": "heavy", "devices": "three_plus", "shared_mailboxes": "few"},
    "planning": {"calendar": "shared", "contacts_tasks": "yes", "collaboration": "some",
                 "office_apps": "desktop"},
    "security": {"security_importance": "critical", "stability_importance": "high",
                 "sector_requirements": "yes"},
    "situation": {"current_setup": "pop", "it_support": "external", "budget": "balanced"},
}
CONTACT = {"name": "Eva Jansen", "company": "Huisartsenpraktijk Jansen",
           "email": "eva@praktijkjansen.nl", "phone": "06 12345678",
           "question": "Kunnen we voor de zomer over?", "consent": "on"}
STEP_NAMES = [step.name for step in STEPS] + ["contact"]
MANAGEMENT = "questionnaire_view-current_step"


@pytest.fixture(autouse=True)
def _dutch_by_default(settings):
    """Each test starts in the site's default language, whatever ran before."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache_and_fast_clicks(settings):
    """Rate-limit counters start at zero in every test (a cache of its own), and tests may
    click through faster than a person; tests of those guards set their own values."""
    import uuid

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": f"test-{uuid.uuid4().hex}"}}
    settings.QUESTIONNAIRE_MIN_SECONDS = 0


@pytest.fixture(autouse=True)
def _no_jobs_left_from_other_tests():
    """SQLite keeps queued jobs in memory: every test starts with none."""
    from tests.jobs import reset_in_memory_jobs

    reset_in_memory_jobs()


def step_url(step: str, language: str = "nl") -> str:
    from django.utils import translation

    with translation.override(language):
        return reverse("advisor:step", kwargs={"step": step})


def post_step(client: Client, step: str, data: dict[str, str], language: str = "nl", **extra):
    return client.post(step_url(step, language), {MANAGEMENT: step, **data}, **extra)


def complete_questionnaire(client: Client, language: str = "nl", answers=None, contact=None):
    """Walk through every step as a visitor would; returns the final response."""
    answers = answers or ANSWERS
    response = None
    for step in STEP_NAMES:
        client.get(step_url(step, language))
        data = contact or CONTACT if step == "contact" else answers[step]
        response = post_step(client, step, data, language)
    return response


@pytest.fixture
def questionnaire():
    """Helpers to drive the questionnaire from a test."""

    class Driver:
        answers = ANSWERS
        contact = CONTACT
        steps = STEP_NAMES
        url = staticmethod(step_url)
        post = staticmethod(post_step)
        complete = staticmethod(complete_questionnaire)

    return Driver
