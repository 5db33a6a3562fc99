from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from advisor.advice import table as q

# The practice the tests follow (a healthcare practice on POP, ...): the answers that differ
# from a question's default. Every other question, one added to the table included, is
# answered with its default (answers_per_step).
PRACTICE = {
    "team_size": "6_15", "sector": "healthcare_patient", "sensitive_data": "lots",
    "growth": "moderate",
    "email_intensity": "heavy", "devices": "three_plus", "shared_mailboxes": "few",
    "calendar": "shared", "contacts_tasks": "yes", "collaboration": "some",
    "office_apps": "desktop", "security_importance": "critical",
    "stability_importance": "high", "sector_requirements": "yes", "current_setup": "pop",
    "it_support": "external", "secure_mail": "regularly", "retention_need": "medical",
    "own_domain": "own_provider",
}
CONTACT = {"name": "Eva Jansen", "company": "Huisartsenpraktijk Jansen",
           "email": "eva@praktijkjansen.nl", "phone": "06 12345678",
           "question": "Kunnen we voor de zomer over?", "consent": "on"}
MANAGEMENT = "questionnaire_view-current_step"


def answers_per_step(overrides: dict[str, str] | None = None) -> dict[str, dict[str, str]]:
    """A complete, valid set of answers per question step of the table as it is now: the
    overrides where given, else each question's default (or, when the default is a "not
    applicable" answer the wizard does not offer, its first offered answer)."""
    overrides = PRACTICE if overrides is None else overrides
    return {step.name: {question.key: overrides.get(question.key, _offered_default(question))
                        for question in step.questions}
            for step in q.question_steps()}


def _offered_default(question) -> str:
    if question.choice(question.default).offered:
        return question.default
    return next(choice.value for choice in question.choices if choice.offered)


def step_names() -> list[str]:
    return [step.name for step in q.STEPS]


ANSWERS = answers_per_step()
STEP_NAMES = step_names()
CONTACT_STEP = q.contact_step().name


@pytest.fixture(autouse=True)
def _dutch_by_default(settings):
    """Each test starts in the site's default language, whatever ran before."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache_and_fast_clicks(settings):
    """Rate-limit counters start at zero in every test (a cache of its own), and tests may
    click through faster than a person; tests of those guards set their own values.
    Passwords are hashed with MD5: PBKDF2's deliberate slowness only slows the suite."""
    import uuid

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": f"test-{uuid.uuid4().hex}"}}
    settings.QUESTIONNAIRE_MIN_SECONDS = 0
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def renders():
    """The names of the templates rendered while the test runs."""
    from django.test.signals import template_rendered

    names: list[str] = []

    def record(sender, template, context, **kwargs):
        names.append(template.name)

    template_rendered.connect(record)
    yield names
    template_rendered.disconnect(record)


@pytest.fixture
def redis_cache(settings):
    """The real shared cache (Redis on loopback), under a key prefix of this test only."""
    import uuid

    import redis

    url = "redis://127.0.0.1:6379/0"
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": url, "KEY_PREFIX": prefix}}
    server = redis.Redis.from_url(url)
    yield server, prefix
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


@pytest.fixture(scope="session")
def dns_server():
    """A real DNS server on loopback with the zones of tests/domaincheck/zones.py."""
    from tests.dns_server import LoopbackDns
    from tests.domaincheck.zones import DROPPED, SERVFAIL, ZONES

    server = LoopbackDns(ZONES, drop=DROPPED, servfail=SERVFAIL)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def migrated_postgres() -> Iterator[str]:
    """A migrated PostgreSQL template database for tests that run processes of their own:
    tests.postgres.copy_of(migrated_postgres, label=...) gives each test its own copy."""
    from tests.postgres import migrated_template

    with migrated_template() as template:
        yield template


@pytest.fixture(autouse=True)
def _domain_checks_on_loopback(settings, dns_server):
    """Every submission's domain check asks the loopback server, never the internet
    (eva@praktijkjansen.nl of CONTACT is a Microsoft 365 domain there)."""
    settings.DOMAIN_CHECK_NAMESERVERS = [f"127.0.0.1:{dns_server.port}"]
    settings.DOMAIN_CHECK_TIMEOUT = 1.0
    settings.DOMAIN_CHECK_BUDGET = 3.0


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
    """Walk through the questionnaire as a visitor would, following where each step leads
    (a skipped step is never shown); returns the final response.

    `answers` is a dict per step (as ANSWERS) or, flat, the answers that differ from the
    defaults; a question without an answer in it gets its default.
    """
    if answers is None or any(isinstance(value, dict) for value in answers.values()):
        per_step = answers or answers_per_step()
    else:
        per_step = answers_per_step(answers)
    step = q.STEPS[0].name
    client.get(step_url(step, language))
    for _ in q.STEPS:
        data = (contact or CONTACT) if step == CONTACT_STEP else per_step[step]
        response = post_step(client, step, data, language)
        location = response.get("Location", "")
        following = [name for name in step_names() if location == step_url(name, language)]
        if response.status_code != 302 or not following:
            return response
        step = following[0]
    return response


@pytest.fixture
def questionnaire():
    """Helpers to drive the questionnaire from a test."""

    class Driver:
        answers = ANSWERS
        contact = CONTACT
        contact_step = CONTACT_STEP
        steps = STEP_NAMES
        url = staticmethod(step_url)
        post = staticmethod(post_step)
        complete = staticmethod(complete_questionnaire)

    return Driver


@pytest.fixture
def edit_table(monkeypatch):
    """Replace the table's steps for one test, as a developer would edit advisor/advice/table.py:
    `edit_table(steps)` with steps built from q.STEPS (dataclasses.replace)."""

    def edit(steps) -> None:
        monkeypatch.setattr(q, "STEPS", tuple(steps))
        monkeypatch.setattr(q, "QUESTIONS", {question.key: question for step in steps
                                             for question in step.questions})

    return edit


def with_question(steps, step_name: str, question, *, before: str | None = None):
    """The steps with `question` added to the step named `step_name` (at the end, or before
    the question `before`)."""
    from dataclasses import replace

    edited = []
    for step in steps:
        if step.name == step_name:
            questions = list(step.questions)
            index = len(questions) if before is None else [x.key for x in questions].index(before)
            questions.insert(index, question)
            step = replace(step, questions=tuple(questions))
        edited.append(step)
    return edited
