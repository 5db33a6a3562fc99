"""Adding a question means editing the table (and the translations), nothing else.

The question is added to advisor/advice/table.py only, as a developer would; the wizard asks
it, the engine scores it, and the result page, the consultant's brief and the CSV export
show it without a change to any other module.
"""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from advisor.advice import table as q
from advisor.advice.engine import advise
from advisor.backoffice.leads import csv_header, csv_row
from advisor.models import Submission
from tests.conftest import PRACTICE, with_question
from tests.factories import make_staff, verified_client

pytestmark = pytest.mark.django_db

BACKUP = q.Question(
    key="backup",
    label="Do you keep a copy of your e-mail somewhere else?",
    why="A copy elsewhere protects you when a mailbox is lost or hacked.",
    default="no",
    brief=q.BRIEF_SITUATION,
    choices=(
        q.Choice("no", "No"),
        q.Choice("daily", "Yes, a daily backup to another provider", m365=2,
                 reason="You back up every day; Microsoft 365 has tools to automate it."),
    ),
)


@pytest.fixture
def table_with_backup(edit_table):
    edit_table(with_question(q.STEPS, "situation", BACKUP))


def flat(text: object) -> str:
    return " ".join(str(text).split())


def test_a_question_added_to_the_table_is_asked_scored_and_shown_everywhere(
        client, questionnaire, table_with_backup, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # The wizard asks it, on the step the table puts it in.
    for step in questionnaire.steps[:questionnaire.steps.index("situation")]:
        questionnaire.post(client, step, questionnaire.answers[step], language="en")
    page = client.get(questionnaire.url("situation", "en")).content.decode()
    assert 'name="backup" value="daily"' in page and str(BACKUP.label) in page

    response = questionnaire.complete(client, language="en",
                                      answers={**PRACTICE, "backup": "daily"})
    submission = Submission.objects.get()
    assert response["Location"] == submission.get_absolute_url()

    # The engine scores it: two more points for Microsoft 365, and its reason.
    without = advise({**PRACTICE})
    assert submission.answers["backup"] == "daily"
    assert submission.advice["scores"]["m365"] == without.scores["m365"] + 2
    assert {"factor": "backup", "answer": "daily", "towards": "m365", "points": 2,
            "text": str(BACKUP.choices[1].reason)} in submission.advice["reasons"]

    # The result page shows the answer (and the reason among the others).
    result = flat(client.get(submission.get_absolute_url()).content.decode())
    assert flat(BACKUP.label) in result and flat(BACKUP.choices[1].label) in result

    # The consultant's brief lists it with the current set-up.
    brief = verified_client(make_staff()).get(
        reverse("admin:advisor_submission_brief", args=[submission.pk]))
    text = flat(" ".join(page.extract_text()
                         for page in PdfReader(io.BytesIO(brief.content)).pages))
    assert flat(BACKUP.label) in text and flat(BACKUP.choices[1].label) in text

    # The CSV export has a column for it.
    with translation.override("en"):
        header, row = csv_header(), csv_row(submission)
    assert row[header.index(str(BACKUP.label))] == str(BACKUP.choices[1].label)


def test_a_visitor_who_skips_nothing_gets_the_default_of_a_question_added_later(
        table_with_backup):
    # Stored advice from before the question existed, recomputed: the default, no points.
    advice = advise({key: value for key, value in PRACTICE.items()})
    assert advice.answers["backup"] == "no"
    assert "backup" not in {reason.factor for reason in advice.reasons}
