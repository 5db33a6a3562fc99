"""The PDF advice report: content in both languages, safe rendering, caching and failure."""

import dataclasses
import io
import logging
import os
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from advisor.advice import table as questionnaire
from advisor.advice.engine import Advice
from advisor.consultant.branding import get_branding
from advisor.models import Submission
from advisor.questionnaire.domain_check import store_domain_check_of
from advisor.questionnaire.services import create_submission
from advisor.reports import pdf, report
from advisor.reports.pdf import RefusedURL, ReportRenderFailed, StaticFiles, StaticFilesFetcher
from advisor.reports.report import report_filename

HEALTHCARE = {
    "team_size": "6_15",
    "sector": "healthcare",
    "sensitive_data": "lots",
    "growth": "moderate",
    "calendar": "shared",
    "current_setup": "pop",
    "sector_requirements": "yes",
}
CONTACT = {
    "name": "Eva Jansen",
    "company": "Huisartsenpraktijk Jansen",
    "email": "eva@praktijkjansen.example",
    "phone": "06 12345678",
}
SOLO = {"team_size": "solo", "sector": "general"}
PASSWD_LINE = "root:x:0:0"


def pdf_text(pdf: bytes) -> str:
    """All text of the PDF, whitespace collapsed so wrapped lines read as one sentence."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def flat(text: object) -> str:
    return " ".join(str(text).split())


def embedded_files(pdf: bytes) -> list[str]:
    """Every way a PDF can carry a file: name tree, associated files, file annotations."""
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    found = []
    if "/EmbeddedFiles" in catalog.get("/Names", {}):
        found.append("/Names/EmbeddedFiles")
    if "/AF" in catalog:
        found.append("/AF")
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            if annotation.get_object().get("/Subtype") == "/FileAttachment":
                found.append("/FileAttachment")
    return found


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    """One real render per language, shared by the content tests (rendering takes a second)."""
    results = {}
    with django_db_blocker.unblock(), transaction.atomic():
        for language in ("nl", "en"):
            submission = create_submission(answers=HEALTHCARE, contact=CONTACT, language=language)
            results[language] = (submission, report.render_report(submission))
        results["branding"] = get_branding()
        transaction.set_rollback(True)
    return results


@pytest.fixture
def spy_server():
    """An HTTP server on 127.0.0.1 that records every request it gets."""
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            body = b"body { background: red; }" if self.path.endswith(".css") else b"x"
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    server.requests = requests
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    server.server_close()


def hostile_markup(server_url: str) -> str:
    return (
        '<img src="file:///etc/passwd">'
        '<link rel="attachment" href="file:///etc/hostname">'
        f'<style>@import url("{server_url}/import.css"); '
        f'body {{ background: url("{server_url}/background.png"); }}</style>'
        f'<img src="{server_url}/pixel.png">'
    )


# --- Content, in both languages ----------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_report_shows_company_verdict_reasons_and_measures_with_norms(rendered, language):
    submission, pdf = rendered[language]
    text = pdf_text(pdf)
    advice = Advice.from_dict(submission.advice)
    with translation.override(language):
        assert "Huisartsenpraktijk Jansen" in text
        assert "Eva Jansen" in text
        assert flat(advice.headline) in text
        assert advice.reasons
        for reason in advice.reasons:
            assert flat(reason.text) in text
        assert len(advice.security_measures) == 4
        for measure in advice.security_measures:
            assert flat(measure.title) in text
            for norm in measure.norm_labels:
                assert flat(norm) in text
        assert flat(advice.plan_info.name) in text
        for step in advice.next_step_texts:
            assert flat(step) in text


@pytest.mark.parametrize("language", ["nl", "en"])
def test_report_carries_the_consultants_branding_and_contact(rendered, language):
    _, pdf = rendered[language]
    text = pdf_text(pdf)
    branding = rendered["branding"]
    assert branding.consultant_name in text
    assert branding.company_name in text
    assert branding.email in text


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_page_has_the_reference_and_page_x_of_y_in_the_visitors_language(rendered, language):
    submission, pdf = rendered[language]
    reader = PdfReader(io.BytesIO(pdf))
    pages = len(reader.pages)
    assert pages > 1
    reference = report.report_reference(submission)
    with translation.override(language):
        footer = gettext("page %(page)s of %(pages)s")
    for number, page in enumerate(reader.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert footer % {"page": number, "pages": pages} in text
        assert reference in text


def test_the_reference_does_not_tell_how_many_leads_there_are():
    created_at = timezone.now()
    first, ten_thousandth = (Submission(pk=pk, token="t" * 43, created_at=created_at)
                             for pk in (1, 10_000))
    reference = report.report_reference(first)
    assert report.report_reference(ten_thousandth) == reference
    year = timezone.localtime(created_at).year
    assert re.fullmatch(rf"KE-{year}-[0-9A-HJKMNP-TV-Z]{{6}}", reference), reference
    # Different leads (different random tokens) get different references.
    others = {report.report_reference(Submission(token=f"{n:043d}", created_at=created_at))
              for n in range(50)}
    assert len(others) == 50


def test_english_report_says_page_of_and_dutch_report_follows_the_dutch_catalog(rendered):
    english = pdf_text(rendered["en"][1])
    assert re.search(r"page 1 of \d+", english)
    assert "Our advice" in english
    with translation.override("nl"):
        dutch_footer = gettext("page %(page)s of %(pages)s") % {"page": 1, "pages": 0}
    assert dutch_footer.split(" 1 ")[0] in pdf_text(rendered["nl"][1])


@pytest.mark.parametrize("language", ["nl", "en"])
def test_report_metadata_has_title_language_author_and_subject(rendered, language):
    submission, pdf = rendered[language]
    reader = PdfReader(io.BytesIO(pdf))
    metadata = reader.metadata
    branding = rendered["branding"]
    advice = Advice.from_dict(submission.advice)
    assert "Huisartsenpraktijk Jansen" in metadata.title
    assert branding.consultant_name in metadata.author
    with translation.override(language):
        assert str(advice.headline) in metadata.subject
    assert reader.trailer["/Root"]["/Lang"] == language


def test_report_is_a_tagged_accessible_pdf(rendered):
    reader = PdfReader(io.BytesIO(rendered["en"][1]))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert b"pdfuaid" in catalog["/Metadata"].get_object().get_data()


@pytest.mark.django_db
def test_imap_advice_for_a_one_person_business_renders_its_own_verdict():
    submission = create_submission(
        answers=SOLO, contact={**CONTACT, "company": "Bakkerij Bakker"}, language="en"
    )
    text = pdf_text(report.render_report(submission))
    advice = Advice.from_dict(submission.advice)
    assert advice.verdict == questionnaire.IMAP
    with translation.override("en"):
        assert flat(advice.headline) in text
    assert "Bakkerij Bakker" in text


def use_logo(monkeypatch, logo) -> None:
    """Brand with a logo file on disk, as an upload in the back office would."""
    branding = get_branding()
    monkeypatch.setattr("advisor.reports.report.get_branding", lambda: dataclasses.replace(
        branding, logo=str(logo), logo_path=str(logo)))


@pytest.mark.django_db
def test_a_logo_outside_the_static_folders_is_shown_on_the_cover(monkeypatch, tmp_path):
    from PIL import Image

    logo = tmp_path / "uploaded-logo.png"
    Image.new("RGB", (120, 40), "#e07a1f").save(logo)
    use_logo(monkeypatch, logo)
    submission = create_submission(answers=SOLO, contact=CONTACT, language="en")
    cover = PdfReader(io.BytesIO(report.render_report(submission))).pages[0]
    assert [image.image.size for image in cover.images] == [(120, 40)]


# --- File name ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("company", "start"),
    [
        ("Huisartsenpraktijk Jansen", "huisartsenpraktijk-jansen-email-advies-"),
        ("Café Ölmann & Zn.", "cafe-olmann-zn-email-advies-"),
        ("Straße Bäckerei", "strasse-backerei-email-advies-"),
        ("../../etc/passwd", "etcpasswd-email-advies-"),
        ("北京贸易", "email-advies-"),
        ("<script>", "script-email-advies-"),
    ],
)
def test_file_name_is_company_email_advies_date_and_safe_everywhere(company, start):
    submission = create_submission(
        answers={}, contact={**CONTACT, "company": company}, language="nl"
    )
    name = report_filename(submission)
    date = timezone.localtime(submission.created_at).date().isoformat()
    assert name == f"{start}{date}.pdf"
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*\.pdf", name)


@pytest.mark.django_db
def test_file_name_of_a_very_long_company_name_is_capped():
    submission = create_submission(
        answers={}, contact={**CONTACT, "company": ("Lang " * 30).strip()}, language="nl"
    )
    name = report_filename(submission)
    assert len(name) <= report.FILENAME_COMPANY_MAX_LENGTH + len("-email-advies-2026-01-01.pdf")
    assert not name.startswith("-") and "--" not in name


# --- The URL fetcher ---------------------------------------------------------------------


@pytest.fixture
def fetcher():
    return StaticFilesFetcher(StaticFiles.from_settings())


def test_fetcher_serves_static_files_by_static_url_and_by_file_path(fetcher):
    by_url = fetcher.fetch("file:///static/css/report.css")
    on_disk = (settings.BASE_DIR / "static" / "css" / "report.css").as_uri()
    assert b"@page" in by_url.read()
    assert by_url.content_type == "text/css"
    assert b"@page" in fetcher.fetch(on_disk).read()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/report.css",
        "https://example.com/logo.png",
        "ftp://example.com/file",
        "data:text/plain,hello",
        "file:///etc/passwd",
        "file:///etc/hostname",
        "file://example.com/static/css/report.css",
        "file:///static/../../../../etc/passwd",
        "file:///static/css/../../../../../../etc/passwd",
        "file:///static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "file:///static/css/missing.css",
    ],
)
def test_fetcher_refuses_everything_but_static_files(fetcher, url):
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)


def test_fetcher_refuses_a_symlink_in_a_static_folder_that_points_outside(settings, tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "ok.css").write_text("p { color: red; }")
    (static / "escape.css").symlink_to("/etc/passwd")
    (static / "up").symlink_to("/etc")
    settings.STATICFILES_DIRS = [static]
    fetcher = StaticFilesFetcher(StaticFiles.from_settings())
    assert fetcher.fetch("file:///static/ok.css").read() == b"p { color: red; }"
    for url in (
        "file:///static/escape.css",
        "file:///static/up/passwd",
        (static / "escape.css").as_uri(),
    ):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


def test_fetcher_serves_a_brand_logo_outside_the_static_folders_only_when_allowed(tmp_path):
    logo = tmp_path / "logo.svg"
    logo.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    with pytest.raises(RefusedURL):
        StaticFilesFetcher(StaticFiles.from_settings()).fetch(logo.as_uri())
    allowed = StaticFilesFetcher(StaticFiles.from_settings(extra_files=(logo,)))
    assert allowed.fetch(logo.as_uri()).read().startswith(b"<svg")


# --- Safe rendering ----------------------------------------------------------------------


@pytest.mark.django_db
def test_hostile_contact_details_end_up_as_text_and_fetch_nothing(spy_server):
    markup = hostile_markup(spy_server.url)
    submission = create_submission(
        answers=HEALTHCARE,
        # Spread over the fields so each fits its column (PostgreSQL refuses longer values).
        contact={
            "name": f'<style>@import url("{spy_server.url}/import.css");</style>',
            "company": '<img src="file:///etc/passwd"><link rel="attachment" '
                       f'href="file:///etc/hostname"><img src="{spy_server.url}/pixel.png">',
            "email": "x@example.com",
            "phone": '<img src="file:///etc/passwd">',
            "question": markup,
        },
        language="en",
    )
    pdf = report.render_report(submission)
    text = pdf_text(pdf)
    assert PASSWD_LINE not in text
    assert PASSWD_LINE.encode() not in pdf
    assert Path("/etc/hostname").read_text().strip() not in text
    assert embedded_files(pdf) == []
    assert spy_server.requests == []
    # Escaped, the markup is simply shown as the company name.
    assert '<img src="file:///etc/passwd">' in text


def test_even_unescaped_markup_cannot_reach_files_network_or_attachments(spy_server):
    html = (
        "<html><head>"
        + hostile_markup(spy_server.url)
        # A static file is allowed to load, but must never be embedded as an attachment.
        + '<link rel="attachment" href="/static/css/report.css"></head>'
        '<body><p>Hello</p><a rel="attachment" href="/static/css/site.css">site</a>'
        '<iframe src="file:///etc/passwd"></iframe><object data="file:///etc/passwd"></object>'
        "</body></html>"
    )
    document = pdf.write_pdf(html=html, stylesheets=(), static_files=StaticFiles.from_settings())
    assert "Hello" in pdf_text(document)
    assert PASSWD_LINE.encode() not in document
    assert embedded_files(document) == []
    assert spy_server.requests == []


def test_the_spy_server_does_see_a_request_that_really_happens(spy_server):
    """Guards the tests above: zero requests means nothing asked, not a dead server."""
    from urllib.request import urlopen

    with urlopen(f"{spy_server.url}/probe.css", timeout=5) as response:
        assert response.status == 200
    assert spy_server.requests == ["/probe.css"]


# --- Rendering in the background, storing, downloading ------------------------------------


def download(client, submission: Submission):
    return client.get(reverse("advisor:report_pdf", kwargs={"token": submission.token}))


def content(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def count_renders(monkeypatch):
    """Replace the renderer with a fast fake that counts how often it is asked."""
    calls = []

    def fake_render_pdf(*, template_name, context, language, **kwargs):
        calls.append(language)
        return f"%PDF-1.7 fake render {len(calls)}".encode()

    monkeypatch.setattr(report, "render_pdf", fake_render_pdf)
    return calls


def run_report_job(submission: Submission) -> str:
    """The report job's work, as a worker runs it."""
    return report.store_report_of(submission_id=submission.pk)


@pytest.mark.django_db
def test_storing_a_submission_queues_its_report_render_once(django_capture_on_commit_callbacks,
                                                            monkeypatch):
    deferred = []
    monkeypatch.setattr("advisor.reports.report.defer_on_commit",
                        lambda task, **kwargs: deferred.append((task.name, kwargs)))
    submission = create_submission(answers=HEALTHCARE, contact=CONTACT, language="nl")
    assert deferred == [("advisor.reports.tasks.store_report",
                         {"queueing_lock": f"report-{submission.pk}",
                          "lock": f"report-content-{submission.pk}",
                          "submission_id": submission.pk})]


@pytest.mark.django_db
def test_download_is_a_private_pdf_attachment_with_a_safe_name(client, media):
    submission = create_submission(answers=HEALTHCARE, contact=CONTACT, language="nl")
    assert run_report_job(submission) == report.STORED
    response = download(client, submission)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{report_filename(submission)}"'
    )
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Robots-Tag"] == "noindex"
    assert "Huisartsenpraktijk Jansen" in pdf_text(content(response))
    submission.refresh_from_db()
    assert submission.report_pdf and submission.report_fingerprint
    assert Path(media / submission.report_pdf.name).is_file()


@pytest.mark.django_db
def test_a_stored_report_file_is_readable_by_the_site_only(media):
    submission = create_submission(answers=SOLO, contact=CONTACT, language="nl")
    # The usual umask, which on its own leaves new files readable by every user.
    previous = os.umask(0o022)
    try:
        run_report_job(submission)
    finally:
        os.umask(previous)
    submission.refresh_from_db()
    stored = media / submission.report_pdf.name
    assert stored.stat().st_mode & 0o777 == 0o640  # no "other" may read it
    assert stored.parent.stat().st_mode & 0o777 == 0o750  # nor list the folder


@pytest.mark.django_db
def test_a_download_before_the_pdf_is_ready_shows_a_waiting_page_and_renders_nothing(
    client, media, count_renders
):
    submission = create_submission(answers=SOLO, contact=CONTACT, language="nl")
    response = download(client, submission)
    assert response.status_code == 202
    html = response.content.decode()
    # It checks again when asked (or by its script), never by reloading itself.
    assert 'http-equiv="refresh"' not in html
    assert 'class="check-again"' in html
    with translation.override("nl"):
        assert gettext("Your PDF is being prepared") in html
    assert response["Cache-Control"] == "no-store"
    assert count_renders == []


@pytest.mark.django_db
def test_many_downloads_of_a_report_being_made_queue_one_render(
    client, media, monkeypatch, django_capture_on_commit_callbacks
):
    deferred = []
    monkeypatch.setattr("advisor.queue.jobs.defer_now",
                        lambda task, **kwargs: deferred.append(kwargs["queueing_lock"]))
    submission = create_submission(answers=SOLO, contact=CONTACT, language="nl")
    for _ in range(6):
        with django_capture_on_commit_callbacks(execute=True):
            assert download(client, submission).status_code == 202
    # Each asks, under one queueing lock per report: the queue refuses all but one.
    assert set(deferred) == {f"report-{submission.pk}"}


@pytest.mark.django_db
def test_the_result_page_says_the_pdf_is_being_prepared_until_it_is(client, media,
                                                                      count_renders):
    submission = create_submission(answers=SOLO, contact=CONTACT, language="nl")
    waiting = client.get(submission.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' not in waiting
    assert 'class="check-again"' in waiting and "data-status-poll" in waiting
    assert " download>" not in waiting
    run_report_job(submission)
    store_domain_check_of(submission_id=submission.pk)  # the page also waits for the check
    ready = client.get(submission.get_absolute_url()).content.decode()
    assert "check-again" not in ready and "data-status-poll" not in ready
    assert reverse("advisor:report_pdf", kwargs={"token": submission.token}) in ready
    assert count_renders == ["nl"]


@pytest.mark.django_db
def test_report_is_in_the_visitors_language_whatever_language_the_download_link_has(
    client, media, count_renders
):
    submission = create_submission(answers=SOLO, contact=CONTACT, language="en")
    run_report_job(submission)
    with translation.override("nl"):
        response = download(client, submission)
    assert response.status_code == 200
    assert count_renders == ["en"]


@pytest.mark.django_db
def test_a_second_run_of_the_job_keeps_the_stored_report(client, media, count_renders):
    submission = create_submission(answers=HEALTHCARE, contact=CONTACT, language="nl")
    assert run_report_job(submission) == report.STORED
    assert run_report_job(submission) == report.CURRENT
    first, second = download(client, submission), download(client, submission)
    assert content(first) == content(second) == b"%PDF-1.7 fake render 1"
    assert len(count_renders) == 1


@pytest.mark.django_db
def test_changing_the_branding_serves_the_stored_report_and_queues_one_new_render(
    client, media, count_renders, monkeypatch
):
    submission = create_submission(answers=HEALTHCARE, contact=CONTACT, language="nl")
    run_report_job(submission)
    old_file = media / Submission.objects.get(pk=submission.pk).report_pdf.name
    branding = get_branding()
    monkeypatch.setattr(
        "advisor.reports.report.get_branding",
        lambda: dataclasses.replace(branding, consultant_name="Someone Else"),
    )
    deferred = []
    monkeypatch.setattr("advisor.reports.report.defer_on_commit",
                        lambda task, **kwargs: deferred.append(kwargs["queueing_lock"]))
    # Meanwhile the older report is served: same advice, only the look is outdated.
    assert content(download(client, submission)) == b"%PDF-1.7 fake render 1"
    assert deferred == [f"report-{submission.pk}"]
    assert run_report_job(submission) == report.STORED
    assert content(download(client, submission)) == b"%PDF-1.7 fake render 2"
    assert len(count_renders) == 2
    assert not old_file.exists()


@pytest.mark.django_db
def test_a_new_logo_file_renders_the_report_again(media, count_renders, monkeypatch, tmp_path):
    logo = tmp_path / "logo.svg"
    logo.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    use_logo(monkeypatch, logo)
    submission = create_submission(answers=HEALTHCARE, contact=CONTACT, language="nl")
    run_report_job(submission)
    logo.write_text("<svg xmlns='http://www.w3.org/2000/svg'><rect/></svg>")
    assert run_report_job(submission) == report.STORED
    assert len(count_renders) == 2


@pytest.mark.django_db
def test_a_new_engine_version_renders_the_report_again(media, count_renders, monkeypatch):
    submission = create_submission(answers=HEALTHCARE, contact=CONTACT, language="nl")
    run_report_job(submission)
    monkeypatch.setattr(questionnaire, "ENGINE_VERSION", "2099.1.1")
    assert run_report_job(submission) == report.STORED
    assert len(count_renders) == 2


@pytest.mark.django_db
def test_a_changed_report_template_renders_the_report_again(
    media, count_renders, settings, tmp_path
):
    """The fingerprint holds a digest of every template and style sheet the report uses."""
    templates = tmp_path / "templates"
    (templates / "includes").mkdir(parents=True)
    body = settings.BASE_DIR / "templates" / "includes" / "_report_body.html"
    copy = templates / "includes" / "_report_body.html"
    copy.write_text(body.read_text())
    settings.TEMPLATES = [{**settings.TEMPLATES[0],
                           "DIRS": [templates, *settings.TEMPLATES[0]["DIRS"]]}]
    submission = create_submission(answers=HEALTHCARE, contact=CONTACT, language="nl")
    run_report_job(submission)
    assert run_report_job(submission) == report.CURRENT

    copy.write_text(copy.read_text() + "\n<p>Een nieuwe alinea.</p>\n")
    assert run_report_job(submission) == report.STORED
    assert len(count_renders) == 2


def test_the_report_digest_covers_its_templates_includes_and_style_sheets():
    templates, statics = report.template_files(report.REPORT_TEMPLATE)
    names = {path.name for path in templates} | {path.name for path in statics}
    assert {"advice.html", "_report_body.html", "_brand_style.html", "report.css"} <= names


@pytest.mark.django_db
def test_a_stored_report_that_went_missing_is_rendered_again(client, media, count_renders):
    submission = create_submission(answers=HEALTHCARE, contact=CONTACT, language="nl")
    run_report_job(submission)
    (media / Submission.objects.get(pk=submission.pk).report_pdf.name).unlink()
    assert download(client, submission).status_code == 202
    assert run_report_job(submission) == report.STORED
    assert download(client, submission).status_code == 200
    assert len(count_renders) == 2


@pytest.mark.django_db
def test_result_page_never_renders_a_pdf(client, media, count_renders):
    submission = create_submission(answers=HEALTHCARE, contact=CONTACT, language="nl")
    response = client.get(submission.get_absolute_url())
    assert response.status_code == 200
    assert count_renders == []


@pytest.mark.django_db
def test_unknown_report_link_is_a_404(client):
    response = client.get(reverse("advisor:report_pdf", kwargs={"token": "not-a-real-token"}))
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_render_that_takes_too_long_is_stopped_and_logged_without_personal_data(
    media, settings, caplog
):
    settings.REPORT_RENDER_TIMEOUT = 0.01
    submission = create_submission(answers=HEALTHCARE, contact=CONTACT, language="nl")
    before = Submission.objects.filter(pk=submission.pk).values().get()
    with caplog.at_level(logging.ERROR, logger="advisor.reports.pdf"), pytest.raises(
        pdf.ReportRenderTimedOut
    ):
        run_report_job(submission)
    assert Submission.objects.filter(pk=submission.pk).values().get() == before
    assert any("took longer than" in record.getMessage() for record in caplog.records)
    logged = " ".join(record.getMessage() for record in caplog.records)
    for personal in (CONTACT["name"], CONTACT["company"], CONTACT["email"], submission.token):
        assert personal not in logged


@pytest.mark.django_db
def test_when_every_try_failed_the_download_says_so_clearly_and_keeps_the_submission(
    client, media, monkeypatch
):
    from procrastinate.jobs import Job

    from advisor.reports import tasks

    submission = create_submission(answers=HEALTHCARE, contact=CONTACT, language="nl")

    def broken(**kwargs):
        raise ReportRenderFailed("boom")

    monkeypatch.setattr(report, "render_pdf", broken)
    context = type("Context", (), {})()
    for attempt in range(tasks.RENDER_ATTEMPTS - 1):
        context.job = Job(id=1, queue="reports", lock=None, queueing_lock=None,
                          task_name="store_report", attempts=attempt)
        with pytest.raises(pdf.ReportUnavailable):
            tasks.store_report.func(context, submission_id=submission.pk)
    context.job = Job(id=1, queue="reports", lock=None, queueing_lock=None,
                      task_name="store_report", attempts=tasks.RENDER_ATTEMPTS - 1)
    assert tasks.store_report.func(context, submission_id=submission.pk) == tasks.FAILED

    response = download(client, submission)
    assert response.status_code == 503
    assert response["Cache-Control"] == "no-store"
    with translation.override("nl"):
        assert gettext("Your PDF cannot be made right now") in response.content.decode()
    assert get_branding().email in response.content.decode()
    submission.refresh_from_db()
    assert not submission.report_pdf and submission.report_failed_at is not None


@pytest.mark.django_db
def test_a_render_of_a_submission_erased_meanwhile_leaves_no_file(media, monkeypatch):
    from advisor.privacy.services import erase_personal_data

    submission = create_submission(answers=SOLO, contact=CONTACT, language="nl")

    def erase_while_rendering(sub):
        pdf_bytes = b"%PDF-1.7 made while the person asked to be forgotten"
        erase_personal_data(email=CONTACT["email"])
        return pdf_bytes

    monkeypatch.setattr(report, "render_report", erase_while_rendering)
    assert run_report_job(submission) == report.GONE
    assert [path for path in media.rglob("*") if path.is_file()] == []


def test_an_error_inside_the_render_process_is_reported_as_a_failed_render():
    with pytest.raises(ReportRenderFailed, match="AttributeError"):
        pdf._write_pdf_bounded(
            html="<p>x</p>", stylesheets=(), static_files=None, template="broken.html"
        )


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_contact_box_shares_its_page_with_the_end_of_the_next_steps(rendered, language):
    submission, pdf_bytes = rendered[language]
    pages = [" ".join(page.extract_text().split())
             for page in PdfReader(io.BytesIO(pdf_bytes)).pages]
    with translation.override(language):
        heading = flat(gettext("Questions? Let's think it through together"))
        last_step = flat(Advice.from_dict(submission.advice).next_step_texts[-1])
    [page] = [page for page in pages if heading in page]
    assert last_step[-40:] in page
