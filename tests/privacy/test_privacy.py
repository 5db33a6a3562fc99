"""Privacy (AVG/GDPR): the statement, consent, retention, the data subject's rights, and logs
without personal data."""

import io
import json
import logging
import os
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission, User
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from advisor.lib.log_redaction import RedactPersonalData, redact
from advisor.models import IndexedSession, MailKind, OutgoingMail, Submission
from advisor.privacy.consent import PRIVACY_STATEMENT_VERSION
from advisor.privacy.services import (
    erase_personal_data,
    export_personal_data,
    months_before,
    purge_expired,
)
from advisor.questionnaire.services import create_submission
from advisor.questionnaire.sharing import confirm_address, share_report
from tests.conftest import ANSWERS, CONTACT

pytestmark = pytest.mark.django_db

EVA = "eva@praktijkjansen.nl"
PIM = "pim@bakkerij.nl"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def submission_for(email: str, *, months_ago: int = 0, pdf: bool = True) -> Submission:
    submission = create_submission(answers=ANSWERS["business"],
                                   contact={**CONTACT, "email": email}, language="nl")
    if pdf:
        submission.report_pdf.save("report.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    if months_ago:
        moment = months_before(timezone.now(), months_ago) - timedelta(days=1)
        Submission.objects.filter(pk=submission.pk).update(created_at=moment)
        OutgoingMail.objects.filter(submission=submission).update(created_at=moment)
        submission.refresh_from_db()
    return submission


def files_in(folder) -> list:
    return [path for path in folder.rglob("*") if path.is_file()]


def unfinished_questionnaire(client, questionnaire, email: str) -> None:
    """Contact details typed, then Back: they wait in the session, nothing is stored yet."""
    for step in questionnaire.steps[:-1]:
        questionnaire.post(client, step, questionnaire.answers[step])
    questionnaire.post(client, "contact", {**CONTACT, "email": email,
                                           "wizard_goto_step": "situation"})


# --- The privacy statement and consent ---

@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_privacy_statement_covers_purpose_data_retention_rights_and_contact(client,
                                                                               settings,
                                                                               language):
    with translation.override(language):
        response = client.get(reverse("advisor:privacy"))
        headings = [gettext(text) for text in ("What we store and why", "How long we keep it",
                                                "Your rights", "Who is responsible")]
    html = response.content.decode()
    assert response.status_code == 200
    assert f'lang="{language}"' in html
    assert all(heading in html for heading in headings)
    assert f"{settings.RETENTION_MONTHS} " in html
    assert settings.BRANDING["email"] in html
    assert PRIVACY_STATEMENT_VERSION in html


def test_the_dutch_statement_is_really_in_dutch(client):
    html = client.get(reverse("advisor:privacy")).content.decode()
    assert "Your rights" not in html


def test_consent_is_stored_with_its_time_and_the_version_of_the_statement(client,
                                                                          questionnaire):
    before = timezone.now()
    questionnaire.complete(client)
    submission = Submission.objects.get()
    assert before <= submission.consent_at <= timezone.now()
    assert submission.consent_version == PRIVACY_STATEMENT_VERSION


# --- Retention ---

def test_purge_deletes_old_submissions_completely_and_keeps_recent_ones(media, client):
    old = confirm_address(submission=submission_for(EVA, months_ago=13))
    share_report(submission=old, to_self=True, colleague=PIM)  # mails younger than the cutoff
    recent = submission_for(PIM)
    old_file = media / old.report_pdf.name

    removed = purge_expired()

    assert not Submission.objects.filter(pk=old.pk).exists()
    assert Submission.objects.filter(pk=recent.pk).exists()
    # The notification and the advice mail about the recent one stay; the rest is gone.
    assert sorted(OutgoingMail.objects.values_list("submission", "kind")) == [
        (recent.pk, MailKind.ADVICE), (recent.pk, MailKind.CONSULTANT)]
    assert not old_file.exists()
    assert files_in(media) == [media / recent.report_pdf.name]
    assert removed.submissions == 1 and removed.files == 1 and removed.mails == 4
    assert client.get(old.get_absolute_url()).status_code == 404


def test_purge_removes_old_mails_orphaned_reports_and_expired_sessions(media):
    submission_for(EVA, months_ago=13, pdf=False)
    orphan = media / "reports" / "2025" / "01" / "left-behind.pdf"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"%PDF")
    hours_ago = (timezone.now() - timedelta(hours=2)).timestamp()
    os.utime(orphan, (hours_ago, hours_ago))
    IndexedSession.objects.create(session_key="x" * 32, session_data="{}",
                           expire_date=timezone.now() - timedelta(days=1))

    removed = purge_expired()

    assert OutgoingMail.objects.count() == 0
    assert files_in(media) == []
    assert not IndexedSession.objects.exists()
    assert removed.sessions == 1


def test_purge_respects_a_configured_retention_period(settings):
    settings.RETENTION_MONTHS = 24
    submission_for(EVA, months_ago=13)
    assert purge_expired().submissions == 0
    assert Submission.objects.count() == 1


def test_the_purge_command_reports_what_it_deleted(media):
    submission_for(EVA, months_ago=13)
    output = io.StringIO()
    call_command("purge", stdout=output)
    assert "1 submissions, 1 files" in output.getvalue()
    assert Submission.objects.count() == 0 and files_in(media) == []


def test_months_before_handles_short_months():
    moment = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
    assert months_before(moment, 1).date().isoformat() == "2026-02-28"
    assert months_before(moment, 12).date().isoformat() == "2025-03-31"


# --- Rights of the data subject ---

def test_export_holds_everything_about_one_address_and_nothing_about_others(client,
                                                                            questionnaire):
    eva = confirm_address(submission=submission_for(EVA))
    share_report(submission=eva, to_self=True)
    pim = confirm_address(submission=submission_for(PIM))
    share_report(submission=pim, to_self=False, colleague=EVA.upper())
    unfinished_questionnaire(client, questionnaire, EVA)

    data = json.loads(json.dumps(export_personal_data(email="Eva@PraktijkJansen.nl")))

    assert [s["token"] for s in data["submissions"]] == [eva.token]
    assert data["submissions"][0]["email"] == EVA
    assert data["submissions"][0]["consent_version"] == PRIVACY_STATEMENT_VERSION
    assert data["submissions"][0]["email_confirmed_at"] == eva.email_confirmed_at.isoformat()
    # Her advice mail, her share, the consultant's notification about her (by foreign key),
    # and Pim's share to her (by the exact address).
    assert sorted((mail["submission"], mail["kind"]) for mail in data["mails"]) == sorted([
        (eva.pk, MailKind.ADVICE), (eva.pk, MailKind.SHARE_SELF), (eva.pk, MailKind.CONSULTANT),
        (pim.pk, MailKind.SHARE_COLLEAGUE)])
    assert len(data["unfinished_questionnaires"]) == 1
    assert PIM not in json.dumps(data)


def test_erase_removes_everything_about_one_address_and_nothing_else(client, questionnaire,
                                                                     media):
    eva = confirm_address(submission=submission_for(EVA))
    share_report(submission=eva, to_self=True)
    pim = confirm_address(submission=submission_for(PIM))
    share_report(submission=pim, to_self=False, colleague=EVA)
    unfinished_questionnaire(client, questionnaire, EVA)

    removed = erase_personal_data(email=EVA)

    left = export_personal_data(email=EVA)
    assert left["submissions"] == left["mails"] == left["unfinished_questionnaires"] == []
    assert not Submission.objects.filter(email=EVA).exists()
    assert Submission.objects.filter(pk=pim.pk).exists()
    assert files_in(media) == [media / pim.report_pdf.name]
    # Pim's notification and advice stay; every mail to or about Eva is gone.
    assert sorted(OutgoingMail.objects.values_list("submission", "kind", "recipient")) == [
        (pim.pk, MailKind.ADVICE, PIM), (pim.pk, MailKind.CONSULTANT, "advies@devries-it.example")]
    assert removed.submissions == 1 and removed.sessions == 1 and removed.mails == 4
    assert client.get(eva.get_absolute_url()).status_code == 404


def test_erasure_leaves_no_name_in_the_admins_change_history():
    eva, pim = submission_for(EVA), submission_for(PIM)
    consultant = User.objects.create_user("sanne", "sanne@consultant.example", "x" * 20)
    for lead in (eva, pim):
        LogEntry.objects.log_actions(consultant.pk, [lead], CHANGE, change_message="Gebeld")
    assert LogEntry.objects.filter(object_repr__contains=eva.company).exists()

    erase_personal_data(email=EVA)

    assert list(LogEntry.objects.values_list("object_id", flat=True)) == [str(pim.pk)]


def test_the_export_command_prints_json(capsys):
    submission_for(EVA)
    output = io.StringIO()
    call_command("export_personal_data", EVA, stdout=output)
    assert json.loads(output.getvalue())["submissions"][0]["email"] == EVA


def test_the_erase_command_asks_before_deleting(monkeypatch):
    submission_for(EVA)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError):
        call_command("erase_personal_data", EVA, stdout=io.StringIO())
    assert Submission.objects.count() == 1
    call_command("erase_personal_data", EVA, "--yes", stdout=io.StringIO())
    assert Submission.objects.count() == 0


# The consultant's password, typed again to confirm an export or erasure (see reauth tests).
CONFIRMED = {"identity-password": "unused"}


@pytest.fixture
def consultant(client, settings):
    settings.ADMIN_REQUIRE_2FA = False
    user = User.objects.create_superuser("consultant", "consultant@example.com", "unused")
    client.force_login(user)
    return user


def test_the_admin_privacy_page_needs_a_login(client):
    response = client.get(reverse("admin_privacy"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_consultant_exports_an_address_as_a_json_download(client, consultant):
    submission_for(EVA)
    response = client.post(reverse("admin_privacy"),
                           {"email": EVA, "action": "export", **CONFIRMED})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert EVA not in response["Content-Disposition"]
    assert json.loads(response.content)["submissions"][0]["email"] == EVA


def test_the_consultant_erases_an_address_after_confirming(client, consultant, media):
    submission_for(EVA)
    review = client.post(reverse("admin_privacy"), {"email": EVA, "action": "review"})
    assert review.status_code == 200
    assert Submission.objects.count() == 1  # reviewing deletes nothing
    done = client.post(reverse("admin_privacy"), {"email": EVA, "action": "erase", **CONFIRMED},
                       follow=True)
    assert done.status_code == 200
    assert Submission.objects.count() == 0 and files_in(media) == []


def test_staff_without_delete_permission_cannot_erase(client, settings):
    settings.ADMIN_REQUIRE_2FA = False
    clerk = User.objects.create_user("clerk", password="unused", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_submission"))
    client.force_login(clerk)
    submission_for(EVA)
    assert client.post(reverse("admin_privacy"),
                       {"email": EVA, "action": "erase", **CONFIRMED}).status_code == 403
    assert client.post(reverse("admin_privacy"),
                       {"email": EVA, "action": "export", **CONFIRMED}).status_code == 200
    assert Submission.objects.count() == 1


# --- Logs ---

@pytest.fixture
def log_output():
    """What the site's configured log handler writes (settings.LOGGING), captured."""
    handler = next(h for h in logging.getLogger("django").handlers
                   if any(isinstance(f, RedactPersonalData) for f in h.filters))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_a_not_found_report_link_is_logged_without_its_token(client, log_output):
    token = "Q" * 43
    assert client.get(f"/advies/{token}/").status_code == 404
    assert client.get(f"/en/advies/{token}/rapport.pdf").status_code == 404
    logged = log_output.getvalue()
    assert "Not Found" in logged
    assert token not in logged


def test_a_revoked_report_link_is_logged_without_its_token(client, log_output):
    submission = submission_for(EVA, pdf=False)
    Submission.objects.filter(pk=submission.pk).update(link_revoked_at=timezone.now())
    assert client.get(submission.get_absolute_url()).status_code == 404
    assert submission.token not in log_output.getvalue()


def test_e_mail_addresses_and_phone_numbers_never_reach_the_log(log_output):
    logger = logging.getLogger("advisor.anything")
    logger.warning("Mail to %s failed; call %s", EVA, "+31 6 12345678")
    try:
        raise ValueError(f"bad address {PIM}")
    except ValueError:
        logger.exception("Share failed for %s", "06-12345678")
    logged = log_output.getvalue()
    assert EVA not in logged and PIM not in logged
    assert "12345678" not in logged
    assert "[e-mail]" in logged and "[phone]" in logged
    assert "ValueError" in logged  # the traceback itself is kept


def test_the_whole_questionnaire_logs_no_personal_data(client, questionnaire, log_output,
                                                       settings):
    settings.QUESTIONNAIRE_MIN_SECONDS = 60  # refused, so it logs the bot check
    questionnaire.complete(client)
    settings.QUESTIONNAIRE_MIN_SECONDS = 0
    questionnaire.post(client, "contact", CONTACT)
    logged = log_output.getvalue()
    assert CONTACT["email"] not in logged and CONTACT["phone"] not in logged
    assert Submission.objects.get().token not in logged


def test_redaction_leaves_ordinary_log_text_alone():
    for text in ["GET /vragen/business/ 200 in 12 ms from 127.0.0.1 at 2026-11-29 10:00:00",
                 '127.0.0.1 - - [29/Nov/2026:10:00:00 +0100] "GET /en/ HTTP/1.1" 200 41234 "-"',
                 "Retention purge (older than 2025-11-29): 12 submissions, 3 files"]:
        assert redact(text) == text


@pytest.mark.parametrize("line", [
    '"GET /admin/advisor/submission/?q=eva%40praktijkjansen.nl HTTP/1.1" 200',
    '"GET /admin/advisor/submission/?q=EVA%40PRAKTIJKJANSEN.NL&o=1 HTTP/1.1" 200',
    '"GET /admin/advisor/submission/?q=jan.de-vries%2Badvies%40praktijk.nl HTTP/1.1" 200',
    "next=/admin/?q=eva%2540praktijkjansen.nl",
])
def test_redaction_catches_url_encoded_e_mail_addresses(line):
    redacted = redact(line)
    assert "praktijk" not in redacted.lower() and "%40" not in redacted
    assert "[e-mail]" in redacted


@pytest.mark.parametrize("phone", ["06 12345678", "0612345678", "+31 6 12345678",
                                   "(020) 123 4567", "020-1234567", "0031 6 1234 5678"])
def test_redaction_recognises_the_usual_phone_notations(phone):
    assert redact(f"call {phone} please") == "call [phone] please"


@pytest.mark.parametrize("address", ['"x,eva@praktijkjansen.nl"@z.example', "eva@[127.0.0.1]"])
def test_the_privacy_request_form_takes_one_plain_address(client, consultant, address):
    response = client.post(reverse("admin_privacy"), {"email": address, "action": "export"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert 'class="errorlist' in response.content.decode()
