"""Request bodies: files are refused on public pages, giant bodies unread, many fields too."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from advisor.models import Submission
from advisor.questionnaire.services import create_submission
from advisor.web.errors import BAD_REQUEST, BODY_TOO_LARGE, FILES_REFUSED
from tests.conftest import ANSWERS, CONTACT, STEP_NAMES, step_url

pytestmark = pytest.mark.django_db


def public_post_urls() -> list[str]:
    submission = create_submission(answers=ANSWERS["business"], contact=CONTACT, language="nl")
    return [*(step_url(step) for step in STEP_NAMES),
            reverse("advisor:share", kwargs={"token": submission.token}),
            reverse("set_language"), reverse("advisor:home"), reverse("advisor:privacy")]


def test_a_file_sent_to_any_public_form_is_a_clear_400_and_stores_nothing(client):
    for url in public_post_urls():
        upload = SimpleUploadedFile("report.pdf", b"%PDF-1.4 hostile", "application/pdf")
        response = client.post(url, {"questionnaire_view-current_step": "business",
                                     "upload": upload})
        assert response.status_code == 400, url
        with translation.override("nl"):
            assert str(FILES_REFUSED) in response.content.decode(), url
    assert Submission.objects.count() == 1  # only the one made above


def test_a_body_larger_than_any_form_needs_is_refused_with_413(client, settings):
    response = client.post(step_url("business"), {"question": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    with translation.override("nl"):
        assert str(BODY_TOO_LARGE) in response.content.decode()


def test_the_limit_counts_the_declared_length_without_reading_the_body(client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1000
    response = client.generic("POST", step_url("business"), b"a=1",
                              content_type="application/x-www-form-urlencoded",
                              CONTENT_LENGTH=str(100 * 1024 * 1024))
    assert response.status_code == 413


def test_more_fields_than_any_form_has_is_a_400(client, settings):
    fields = {f"field{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(step_url("business"), fields)
    assert response.status_code == 400
    with translation.override("nl"):
        assert str(BAD_REQUEST) in response.content.decode()

