"""Failure behaviour: the database going away and coming back, the health endpoint, the final
step posted twice, and the branded error pages in both languages."""

import contextlib
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
from django.db import connection
from django.db.utils import OperationalError
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from advisor.models import (
    ConsultantProfile,
    IndexedSession,
    MailKind,
    MailStatus,
    OutgoingMail,
    Submission,
)
from advisor.questionnaire.services import submit_questionnaire
from advisor.web.errors import rate_limited, server_error
from tests.conftest import ANSWERS, CONTACT, STEP_NAMES
from tests.factories import make_staff, verified_client

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = "postgresql://postgres@127.0.0.1:5432"


def refuse_every_query(execute, sql, params, many, context):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: refused")


# --- The database goes away (in-process) ---

def test_without_a_database_a_branded_503_page_asks_to_retry(client, settings):
    with connection.execute_wrapper(refuse_every_query):
        response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Cache-Control"] == "no-store"
    assert settings.BRANDING["company_name"] in html
    assert 'lang="nl"' in html
    assert "Traceback" not in html and "OperationalError" not in html and "5432" not in html


def test_the_503_page_is_in_english_under_en(client):
    with connection.execute_wrapper(refuse_every_query):
        response = client.get("/en/")
    assert response.status_code == 503
    assert "briefly unavailable" in response.content.decode()


def test_the_site_recovers_by_itself_once_the_database_is_back(client, questionnaire):
    for step in questionnaire.steps[:-1]:
        questionnaire.post(client, step, questionnaire.answers[step])
    with connection.execute_wrapper(refuse_every_query):
        failed = questionnaire.post(client, "contact", CONTACT)
    assert failed.status_code == 503
    assert Submission.objects.count() == 0
    # Same process, no restart: the answers were kept and the final step now works.
    retried = questionnaire.post(client, "contact", CONTACT)
    assert retried.status_code == 302
    assert Submission.objects.count() == 1
    assert client.get(retried["Location"]).status_code == 200


def test_a_database_error_outside_the_view_also_gets_the_503_page(rf):
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(rf.get("/"))
    assert response.status_code == 503
    assert "Retry-After" in response


# --- Health endpoint ---

MONITORING_TOKEN = "monitoring-secret-for-tests"


@pytest.fixture
def monitoring(settings) -> dict[str, str]:
    """The headers of monitoring that knows HEALTH_TOKEN."""
    settings.HEALTH_TOKEN = MONITORING_TOKEN
    return {"HTTP_AUTHORIZATION": f"Bearer {MONITORING_TOKEN}"}


def test_anyone_gets_only_a_plain_liveness_answer(client, settings):
    settings.HEALTH_TOKEN = MONITORING_TOKEN
    OutgoingMail.objects.create(kind=MailKind.CONSULTANT, sender="keuzehulp@localhost",
                                recipient="eva@example.com", subject="x", body_text="x",
                                message_id="<x@localhost>", status=MailStatus.FAILED)
    for headers in [{}, {"HTTP_AUTHORIZATION": "Bearer wrong"},
                    {"HTTP_AUTHORIZATION": MONITORING_TOKEN}]:
        response = client.get("/health/", **headers)
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}
    with connection.execute_wrapper(refuse_every_query):
        down = client.get("/health/")
    assert (down.status_code, down.json()) == (503, {"status": "fail"})


def test_without_a_configured_token_no_header_opens_the_details(client, settings):
    settings.HEALTH_TOKEN = ""
    response = client.get("/health/", HTTP_AUTHORIZATION="Bearer ")
    assert response.json() == {"status": "ok"}


def test_verified_staff_see_the_details(settings):
    settings.HEALTH_TOKEN = ""
    staff = verified_client(make_staff())
    assert staff.get("/health/").json()["outbox"]["failed"] == 0
    unverified = Client()
    unverified.force_login(make_staff("joris"))
    assert unverified.get("/health/").json() == {"status": "ok"}


def test_health_reports_the_database_and_the_outbox(client, monitoring):
    response = client.get("/health/", **monitoring)
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"] == {"status": "ok"}
    assert body["outbox"]["status"] == "ok" and body["outbox"]["queued"] == 0
    assert response["Cache-Control"].startswith("max-age=0")


def test_health_answers_503_when_the_database_is_down(client, monitoring):
    with connection.execute_wrapper(refuse_every_query):
        response = client.get("/health/", **monitoring)
    assert response.status_code == 503
    assert response.json()["database"] == {"status": "fail", "error": "OperationalError"}


def test_a_stuck_mail_outbox_is_reported_without_taking_the_site_offline(client, monitoring):
    mail = OutgoingMail.objects.create(kind=MailKind.CONSULTANT, sender="keuzehulp@localhost",
                                       recipient="eva@example.com", subject="x",
                                       body_text="x", message_id="<x@localhost>")
    OutgoingMail.objects.filter(pk=mail.pk).update(
        created_at=timezone.now() - timedelta(hours=2))
    response = client.get("/health/", **monitoring)
    assert response.status_code == 200
    assert response.json()["outbox"]["status"] == "stalled"
    assert response.json()["outbox"]["queued"] == 1


def test_health_is_reachable_over_plain_http_for_the_load_balancer(settings):
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/health/").status_code == 200
    assert Client().get("/").status_code == 301


# --- The final step posted twice ---

def session_snapshot(client) -> tuple[str, str]:
    key = client.session.session_key
    return key, IndexedSession.objects.get(pk=key).session_data


def restore(snapshot: tuple[str, str]) -> None:
    key, data = snapshot
    IndexedSession.objects.filter(pk=key).update(session_data=data)


def test_a_double_click_stores_one_submission_and_sends_one_set_of_mails(client,
                                                                        questionnaire):
    for step in questionnaire.steps[:-1]:
        questionnaire.post(client, step, questionnaire.answers[step])
    before = session_snapshot(client)
    first = questionnaire.post(client, "contact", CONTACT)
    # The second click left the browser before the first answer came back: same session.
    restore(before)
    second = questionnaire.post(client, "contact", CONTACT)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Submission.objects.count() == 1
    assert OutgoingMail.objects.count() == 2  # one notification, one advice mail


def test_back_and_resubmit_leads_to_the_same_advice(client, questionnaire):
    first = questionnaire.complete(client)
    again = questionnaire.post(client, "contact", CONTACT)
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert Submission.objects.count() == 1
    assert OutgoingMail.objects.count() == 2


def test_a_new_questionnaire_after_the_first_is_a_new_submission(client, questionnaire):
    first = questionnaire.complete(client)
    second = questionnaire.complete(client)
    assert first["Location"] != second["Location"]
    assert Submission.objects.count() == 2


def test_the_loser_of_a_race_gets_the_winners_submission_and_queues_no_mail():
    arguments = {"idempotency_key": "k" * 43, "answers": ANSWERS["business"],
                 "contact": CONTACT, "language": "nl"}
    winner = submit_questionnaire(**arguments)
    # The second insert hits the unique key, as a concurrent request would.
    loser = submit_questionnaire(**arguments)
    assert loser.pk == winner.pk
    assert Submission.objects.count() == 1
    assert OutgoingMail.objects.count() == 2


# --- Branded 404 and 500 pages ---

def test_the_404_page_is_branded_and_in_dutch(client, settings):
    response = client.get("/bestaat-niet/")
    html = response.content.decode()
    assert response.status_code == 404
    assert settings.BRANDING["company_name"] in html
    assert gettext("This page does not exist (anymore)") in html  # the Dutch translation
    assert 'lang="nl"' in html


def test_the_404_page_in_english(client):
    response = client.get("/en/does-not-exist/")
    assert response.status_code == 404
    assert "This page does not exist (anymore)" in response.content.decode()


@pytest.mark.parametrize(("prefix", "language"), [("", "nl"), ("/en", "en")])
def test_an_unexpected_error_gets_the_branded_500_page_in_the_visitors_language(
    monkeypatch, settings, prefix, language
):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("advisor.privacy.views.render", broken)
    response = Client(raise_request_exception=False).get(f"{prefix}/privacy/")
    html = response.content.decode()
    with translation.override(language):
        expected = gettext("Something went wrong on our side")
    assert response.status_code == 500
    assert expected in html and f'lang="{language}"' in html
    assert settings.BRANDING["company_name"] in html
    assert "RuntimeError" not in html and "Traceback" not in html


def bakker_ict() -> ConsultantProfile:
    return ConsultantProfile.objects.create(
        pk=ConsultantProfile.SINGLETON_ID, consultant_name="Noor Bakker",
        company_name="Bakker ICT", email="noor@bakker.example", primary_color="#123456")


def test_error_pages_carry_the_profiles_branding_like_every_other_page(monkeypatch, rf):
    bakker_ict()

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("advisor.privacy.views.render", broken)
    pages = {
        500: Client(raise_request_exception=False).get("/privacy/"),
        404: Client().get("/bestaat-niet/"),
        429: rate_limited(rf.get("/")),
        403: Client(enforce_csrf_checks=True).post("/vragen/business/", {}),
    }
    for status, response in pages.items():
        html = response.content.decode()
        assert response.status_code == status
        assert "Bakker ICT" in html and "--brand-primary:#123456" in html, status
        assert "De Vries IT-advies" not in html, status


def test_the_brand_colours_on_an_error_page_carry_the_nonce_of_its_policy(monkeypatch):
    monkeypatch.setattr("advisor.privacy.views.render", lambda *a, **k: 1 / 0)
    response = Client(raise_request_exception=False).get("/privacy/")
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'<style nonce="{nonce}">' in response.content.decode()


def test_without_a_database_the_error_page_is_branded_from_the_settings(client, settings):
    bakker_ict()
    with connection.execute_wrapper(refuse_every_query):
        html = client.get("/").content.decode()
    assert settings.BRANDING["company_name"] in html and "Bakker ICT" not in html


# --- End to end: a real server, PostgreSQL behind a port we close and reopen ---

class Outage:
    """A TCP port in front of PostgreSQL. close() is a database outage (refused connections,
    open ones cut); open() brings the database back."""

    def __init__(self) -> None:
        self.port = free_port()
        self.links: list[socket.socket] = []
        self.listening = threading.Event()

    def open(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        listener.settimeout(0.1)
        self.listening.set()
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def close(self) -> None:
        self.listening.clear()
        time.sleep(0.3)  # the accept loop notices and closes the port
        for link in self.links:
            with contextlib.suppress(OSError):
                link.shutdown(socket.SHUT_RDWR)
            link.close()
        self.links.clear()

    def _accept(self, listener: socket.socket) -> None:
        with listener:
            while self.listening.is_set():
                try:
                    client, _address = listener.accept()
                except TimeoutError:
                    continue
                upstream = socket.create_connection(("127.0.0.1", 5432))
                self.links += [client, upstream]
                for source, target in ((client, upstream), (upstream, client)):
                    threading.Thread(target=pump, args=(source, target), daemon=True).start()


def pump(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    finally:
        for sock in (source, target):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Visitor:
    """A browser without JavaScript: cookies, CSRF token from the form, no redirects."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, method: str, path: str, data: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode({"csrfmiddlewaretoken": self.csrf, **data})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        html = response.read().decode()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";")[0].partition("=")
            self.cookies[name] = value
        if token := re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html):
            self.csrf = token.group(1)
        conn.close()
        return response, html


@pytest.fixture(scope="module")
def live_stack(tmp_path_factory):
    """A migrated PostgreSQL database, the outage port in front of it, and gunicorn with two
    worker processes on top, as in production (DEBUG on, so no collectstatic is needed)."""
    name = f"keuzehulp_e2e_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    env.update(DJANGO_DEBUG="true", QUESTIONNAIRE_MIN_SECONDS="0", DJANGO_LOG_LEVEL="ERROR")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True,
                   env={**env, "DATABASE_URL": f"{POSTGRES}/{name}"}, timeout=120)
    outage = Outage()
    outage.open()
    port = free_port()
    behind_outage = f"postgresql://postgres@127.0.0.1:{outage.port}/{name}"
    log = tmp_path_factory.mktemp("gunicorn") / "output.log"
    # gunicorn.conf.py in ROOT is read as in the Docker image: the access log goes to stdout.
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60", "--log-level", "error"],
        cwd=ROOT, env={**env, "DATABASE_URL": behind_outage},
        stdout=log.open("w"), stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if Visitor(port).request("GET", "/health/")[0].status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.3)
        yield port, outage, f"{POSTGRES}/{name}", log
    finally:
        server.terminate()
        server.wait(timeout=30)
        outage.close()
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def count(database: str, table: str) -> int:
    with psycopg.connect(database) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_two_final_posts_at_once_store_one_submission_on_postgresql(live_stack):
    port, _outage, database, _log = live_stack
    visitor = Visitor(port)
    for step in STEP_NAMES[:-1]:
        visitor.request("GET", f"/vragen/{step}/")
        response, _ = visitor.request("POST", f"/vragen/{step}/",
                                      {"questionnaire_view-current_step": step, **ANSWERS[step]})
        assert response.status == 302, step
    visitor.request("GET", "/vragen/contact/")

    start, results = threading.Barrier(2), []

    def send() -> None:
        start.wait()
        response, _ = visitor.request("POST", "/vragen/contact/",
                                      {"questionnaire_view-current_step": "contact", **CONTACT})
        results.append((response.status, response.getheader("Location")))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert [status for status, _ in results] == [302, 302]
    assert results[0][1] == results[1][1] and "/advies/" in results[0][1]
    assert count(database, "advisor_submission") == 1
    assert count(database, "advisor_outgoingmail") == 2  # a notification and the advice


def test_a_database_outage_gives_503_and_the_server_recovers_without_restart(live_stack):
    port, outage, _database, _log = live_stack
    visitor = Visitor(port)
    assert visitor.request("GET", "/")[0].status == 200

    outage.close()
    for _ in range(4):  # both worker processes, with and without a pooled connection
        # The privacy statement reads the profile's CRM switch: the start page may need no
        # database at all (the branding comes from the cache).
        response, html = visitor.request("GET", "/privacy/")
        assert response.status == 503
        assert response.getheader("Retry-After")
        assert "Traceback" not in html and "OperationalError" not in html
    health, body = visitor.request("GET", "/health/")
    assert health.status == 503 and json.loads(body) == {"status": "fail"}

    outage.open()
    statuses = {visitor.request("GET", "/")[0].status for _ in range(6)}
    assert statuses == {200}
    assert visitor.request("GET", "/health/")[0].status == 200


def test_the_servers_access_log_holds_no_report_tokens(live_stack):
    port, _outage, database, log = live_stack
    with psycopg.connect(database) as conn:
        token = conn.execute("SELECT token FROM advisor_submission").fetchone()[0]
    assert Visitor(port).request("GET", f"/advies/{token}/")[0].status == 200
    assert Visitor(port).request("GET", f"/advies/{token[:20]}/")[0].status == 404
    written = log.read_text()
    assert '"GET /advies/[token]/ HTTP/1.1" 200' in written
    assert token not in written and token[:20] not in written
