"""An unfinished questionnaire is found by its e-mail address without decoding other sessions."""

import pytest
from django.test import Client

from advisor.models import IndexedSession
from advisor.privacy.services import erase_personal_data, export_personal_data
from advisor.privacy.sessions import SessionStore, sessions_holding
from tests.conftest import CONTACT

pytestmark = pytest.mark.django_db

EVA = "eva@praktijkjansen.nl"


def unfinished(questionnaire, email: str) -> Client:
    """A visitor who typed their contact details and went Back: nothing stored but the session."""
    client = Client()
    for step in questionnaire.steps[:-1]:
        questionnaire.post(client, step, questionnaire.answers[step])
    questionnaire.post(client, questionnaire.contact_step, {
        **CONTACT, "email": email, "wizard_goto_step": questionnaire.steps[-2]})
    return client


@pytest.fixture
def decoded(monkeypatch) -> list[str]:
    """The session keys whose data gets decoded."""
    calls: list[str] = []
    original = SessionStore.decode

    def spy(self, session_data):
        calls.append(session_data)
        return original(self, session_data)

    monkeypatch.setattr(SessionStore, "decode", spy)
    return calls


def test_export_decodes_only_the_session_that_holds_the_address(questionnaire, decoded):
    for n in range(5):
        unfinished(questionnaire, f"visitor{n}@example.com")
    unfinished(questionnaire, EVA)
    decoded.clear()

    data = export_personal_data(email="Eva@PraktijkJansen.NL")

    [found] = data["unfinished_questionnaires"]
    assert EVA in str(found["data"])
    assert len(decoded) == 1  # her own session, for its content; no other


def test_erase_removes_the_unfinished_questionnaire_without_decoding_any_session(
        questionnaire, decoded):
    others = [unfinished(questionnaire, f"visitor{n}@example.com") for n in range(3)]
    eva = unfinished(questionnaire, EVA)
    decoded.clear()

    removed = erase_personal_data(email=EVA)

    assert removed.sessions == 1 and decoded == []
    assert not IndexedSession.objects.filter(pk=eva.session.session_key).exists()
    assert all(IndexedSession.objects.filter(pk=other.session.session_key).exists()
               for other in others)
    # Her browser starts a fresh questionnaire; the others keep theirs.
    assert eva.get(questionnaire.url("situation"))["Location"] == questionnaire.url("business")
    assert others[0].get(questionnaire.url("situation")).status_code == 200


def test_the_index_holds_keyed_digests_and_never_the_address(questionnaire):
    client = unfinished(questionnaire, EVA)
    row = IndexedSession.objects.get(pk=client.session.session_key)
    assert row.address_digests and "@" not in row.address_digests
    assert EVA not in row.address_digests and "praktijkjansen" not in row.address_digests


def test_the_index_follows_what_the_session_holds(client, questionnaire):
    for step in questionnaire.steps[:-1]:
        questionnaire.post(client, step, questionnaire.answers[step])
    back = {"wizard_goto_step": questionnaire.steps[-2]}
    questionnaire.post(client, questionnaire.contact_step, {**CONTACT, "email": EVA, **back})
    # A corrected address replaces the first one.
    questionnaire.post(client, questionnaire.contact_step,
                       {**CONTACT, "email": "eva@jansen.nl", **back})
    assert not sessions_holding(EVA).exists()
    assert sessions_holding("eva@jansen.nl").count() == 1
    # Completed: the questionnaire leaves the session, and with it the address.
    questionnaire.post(client, questionnaire.contact_step, {**CONTACT, "email": EVA})
    assert not sessions_holding(EVA).exists()
    assert not sessions_holding("eva@jansen.nl").exists()


def test_a_session_saved_before_a_key_rotation_is_still_found(questionnaire, settings):
    settings.SECRET_KEY = "the-old-key-" + "x" * 40
    unfinished(questionnaire, EVA)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the-new-key-" + "y" * 40
    assert sessions_holding(EVA).count() == 1
    assert erase_personal_data(email=EVA).sessions == 1


def test_mere_visits_leave_no_session_for_a_privacy_request_to_go_through(questionnaire,
                                                                         decoded):
    for _ in range(5):  # visitors who only look: the start page and the first step
        visitor = Client()
        visitor.get("/")
        visitor.get(questionnaire.url(questionnaire.steps[0]))
    eva = unfinished(questionnaire, EVA)
    decoded.clear()

    assert list(IndexedSession.objects.values_list("pk", flat=True)) == [eva.session.session_key]
    assert len(export_personal_data(email=EVA)["unfinished_questionnaires"]) == 1
    assert len(decoded) == 1  # hers, for its content
    assert erase_personal_data(email=EVA).sessions == 1
    assert len(decoded) == 1  # erasure decodes none


def test_an_unfinished_questionnaire_is_kept_for_a_day(questionnaire, settings):
    eva = unfinished(questionnaire, EVA)
    row = IndexedSession.objects.get(pk=eva.session.session_key)
    assert settings.SESSION_COOKIE_AGE == 24 * 3600
    assert eva.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert sessions_holding(EVA).filter(pk=row.pk).exists()


def test_erasure_also_removes_the_cached_copy_of_the_session(questionnaire, redis_cache):
    eva = unfinished(questionnaire, EVA)
    key = eva.session.session_key
    # The next page reads the session from the cache, not the database.
    assert eva.get(questionnaire.url("situation")).status_code == 200
    server, prefix = redis_cache
    assert any(key in name.decode() for name in server.scan_iter(f"{prefix}:*"))

    assert erase_personal_data(email=EVA).sessions == 1

    assert not any(key in name.decode() for name in server.scan_iter(f"{prefix}:*"))
    assert eva.get(questionnaire.url("situation"))["Location"] == questionnaire.url("business")


def test_sessions_work_without_the_cache(questionnaire, settings):
    settings.CACHES = {"default": {"BACKEND": "advisor.lib.redis_cache.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}
    settings.RATELIMIT_ENABLE = False
    client = Client()
    first = questionnaire.steps[0]
    questionnaire.post(client, first, questionnaire.answers[first])
    html = client.get(questionnaire.url(first)).content.decode()
    assert IndexedSession.objects.count() == 1
    assert " checked" in html
