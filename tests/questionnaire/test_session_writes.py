"""A visit that answers nothing leaves no session behind; an answer is kept; a page that
changes nothing writes nothing."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advisor.models import IndexedSession
from tests.conftest import ANSWERS, STEP_NAMES

pytestmark = pytest.mark.django_db

FIRST, SECOND = STEP_NAMES[0], STEP_NAMES[1]


def session_writes(queries: CaptureQueriesContext) -> list[str]:
    table = IndexedSession._meta.db_table
    return [query["sql"] for query in queries.captured_queries
            if table in query["sql"] and not query["sql"].lstrip().upper().startswith("SELECT")]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_mere_visit_to_the_home_page_and_a_step_writes_no_session(questionnaire, language):
    client = Client()
    home = client.get(reverse("advisor:home") if language == "nl" else "/en/")
    step = client.get(questionnaire.url(FIRST, language))
    later = client.get(questionnaire.url(SECOND, language))  # sent back to the first step

    assert home.status_code == step.status_code == 200
    assert later.status_code == 302
    assert IndexedSession.objects.count() == 0
    assert settings.SESSION_COOKIE_NAME not in client.cookies


def test_a_refused_first_answer_writes_no_session(questionnaire):
    client = Client()
    response = questionnaire.post(client, FIRST, {})

    assert response.status_code == 200  # the step again, with its errors
    assert IndexedSession.objects.count() == 0


def test_the_session_holds_the_answers_once_the_first_step_is_answered(questionnaire):
    client = Client()
    client.get(questionnaire.url(FIRST))
    response = questionnaire.post(client, FIRST, ANSWERS[FIRST])

    assert response.status_code == 302
    [row] = IndexedSession.objects.all()
    data = row.get_decoded()["wizard_questionnaire_view"]["step_data"][FIRST]
    assert {key: data[key][0] for key in ANSWERS[FIRST]} == ANSWERS[FIRST]
    # The next page still shows the first step's answer when the visitor goes back.
    back = client.get(questionnaire.url(FIRST)).content.decode()
    first_key, first_value = next(iter(ANSWERS[FIRST].items()))
    assert f'name="{first_key}" value="{first_value}"' in back
    assert back.split(f'value="{first_value}"')[1].split(">")[0].count("checked") == 1


def test_showing_a_step_again_does_not_write_the_session(questionnaire):
    client = Client()
    questionnaire.post(client, FIRST, ANSWERS[FIRST])
    client.get(questionnaire.url(SECOND))  # the first view counts the step for the funnel

    with CaptureQueriesContext(connection) as queries:
        assert client.get(questionnaire.url(SECOND)).status_code == 200

    assert session_writes(queries) == []


def test_a_draft_kept_on_back_is_in_the_session(questionnaire):
    client = Client()
    questionnaire.post(client, FIRST, ANSWERS[FIRST])
    second = dict(list(ANSWERS[SECOND].items())[:1])  # half a step, then Back
    questionnaire.post(client, SECOND, {**second, "wizard_goto_step": FIRST})

    html = client.get(questionnaire.url(SECOND)).content.decode()
    key, value = next(iter(second.items()))
    assert f'name="{key}" value="{value}"' in html
    assert html.split(f'name="{key}" value="{value}"')[1].split(">")[0].count("checked") == 1
