"""Two web hosts and two workers on one PostgreSQL database, one Redis and S3 storage.

Everything is a real server on loopback, started the way production starts it: two gunicorn
processes (gunicorn.conf.py, production settings, behind a pretend TLS proxy) play two hosts
behind one load balancer, two `manage.py worker` processes share the queue, moto's S3 server
keeps the files (with versioning on, so the storage itself counts every PDF ever stored),
aiosmtpd receives the mail and the DNS server of tests/dns_server.py answers the domain
checks. A crowd of visitors, each with a cookie jar of their own and the headers a browser
sends, answer the questionnaire at the same time, each request going to the other host than
the one before.

The database, the bucket and the Redis key prefix are this test's own (random names), and
everything is removed again at the end.
"""

import contextlib
import logging
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import psycopg
import pytest
import redis
import requests
from moto.server import ThreadedMotoServer

from advisor.advice import table as q
from tests.conftest import CONTACT_STEP, MANAGEMENT, answers_per_step
from tests.postgres import copy_of
from tests.smtp_server import LoopbackSmtp, free_port

# Standalone: the same whatever DATABASE_URL says, so it runs once, in `make test`.
pytestmark = pytest.mark.standalone

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/0"
# The public name both hosts serve behind the load balancer: one origin for the browser.
PUBLIC_HOST = "advies.keuzehulp.test"
ORIGIN = f"https://{PUBLIC_HOST}"
CONSULTANT = "sanne@devries-it.example"
WEB_HOSTS = 2
WORKERS = 2
VISITORS = 16
# The most any stage may take on a busy 2-core machine; each stage ends as soon as it is done.
STAGE_SECONDS = 300
MAX_PAGES = 20  # a loop in the wizard would be a bug: stop the visitor rather than spin
START_LINK = re.compile(r'href="((?:/en)?/vragen/[^"]+/)"')
STEP_FIELD = re.compile(rf'name="{MANAGEMENT}" value="([^"]+)"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# What the site's own code sends through the loopback: only our task names (procrastinate's
# periodic stalled-job check comes and goes on its own).
OUR_TASKS = ("advisor.reports.tasks.store_report", "advisor.outbox.tasks.deliver_mail",
             "advisor.questionnaire.tasks.check_submission_domain")


def wait_for(condition: Callable[[], object], *, what: str, logs: Callable[[], str],
             seconds: float = STAGE_SECONDS) -> None:
    """Poll until condition() holds; fail with the processes' last log lines otherwise."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}\n{logs()}"
        time.sleep(0.5)


@dataclass
class Stack:
    database: str
    s3: object
    bucket: str
    smtp: LoopbackSmtp
    media: Path
    logs_dir: Path
    sites: list[str] = field(default_factory=list)

    def query(self, sql: str) -> list[tuple]:
        with psycopg.connect(self.database) as connection:
            return connection.execute(sql).fetchall()

    def jobs_left(self) -> list[tuple]:
        names = ", ".join(f"'{name}'" for name in OUR_TASKS)
        return self.query("SELECT task_name, status FROM procrastinate_jobs WHERE status IN "
                          f"('todo', 'doing') AND task_name IN ({names})")

    def log(self, name: str) -> str:
        return (self.logs_dir / f"{name}.log").read_text(errors="replace")

    def tail(self) -> str:
        """The last lines of every process's log, for a failure message."""
        parts = []
        for path in sorted(self.logs_dir.glob("*.log")):
            lines = path.read_text(errors="replace").splitlines()[-25:]
            parts.append(f"--- {path.name}\n" + "\n".join(lines))
        return "\n".join(parts)

    def stored_versions(self) -> tuple[Counter[str], int]:
        """Every version of every object under reports/ the bucket ever held, and the number
        of deletions: the storage's own record, whatever the site believes it did."""
        versions: Counter[str] = Counter()
        deletions = 0
        for page in self.s3.get_paginator("list_object_versions").paginate(
                Bucket=self.bucket, Prefix="reports/"):
            versions.update(version["Key"] for version in page.get("Versions", []))
            deletions += len(page.get("DeleteMarkers", []))
        return versions, deletions


def run_quietly(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   timeout=STAGE_SECONDS, stdout=subprocess.DEVNULL)


def healthy(site: str) -> bool:
    with contextlib.suppress(requests.RequestException):
        return requests.get(f"{site}/health/", timeout=2).status_code == 200
    return False


def stop(processes: list[subprocess.Popen]) -> None:
    """Stop every process at once: gunicorn with its quick shutdown (SIGINT; on SIGTERM an
    idle sync worker only notices after half its timeout), the workers gracefully (SIGTERM)."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGINT if "config.wsgi" in process.args else
                                signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def stack(tmp_path, dns_server, migrated_postgres) -> Iterator[Stack]:
    # The release's `migrate`, run once from one place, is the session's template.
    with copy_of(migrated_postgres, label="scale") as database:
        yield from _stack(tmp_path, dns_server, database)


def _stack(tmp_path, dns_server, database: str) -> Iterator[Stack]:
    suffix = uuid.uuid4().hex[:12]
    s3_port = free_port()
    # moto's server logs every request; the storage's record is what this test reads.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=s3_port, verbose=False)
    moto.start()
    endpoint = f"http://127.0.0.1:{s3_port}"
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id="test", aws_secret_access_key="test")
    bucket = f"keuzehulp-scale-{suffix}"
    s3.create_bucket(Bucket=bucket)
    # Versioning keeps every object ever written: renders are counted by the storage.
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    smtp = LoopbackSmtp()
    smtp.start()
    cache_prefix = f"scale-{suffix}"
    logs_dir = tmp_path / "logs"
    logs_dir.mkdir()
    stack = Stack(database=database, s3=s3, bucket=bucket, smtp=smtp,
                  media=tmp_path / "media", logs_dir=logs_dir)
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "S3_", "EMAIL_",
                                  "GUNICORN_", "CACHE_", "AWS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings", DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),  # one key for both hosts, as in .env
        DJANGO_ALLOWED_HOSTS=f"{PUBLIC_HOST},127.0.0.1", SITE_URL=ORIGIN,
        DATABASE_URL=stack.database, REDIS_URL=REDIS, CACHE_KEY_PREFIX=cache_prefix,
        S3_BUCKET=bucket, S3_ENDPOINT_URL=endpoint, S3_REGION="us-east-1",
        S3_ACCESS_KEY_ID="test", S3_SECRET_ACCESS_KEY="test",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"), DJANGO_MEDIA_ROOT=str(stack.media),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp.port), CONSULTANT_NOTIFY_EMAIL=CONSULTANT,
        DOMAIN_CHECK_NAMESERVERS=f"127.0.0.1:{dns_server.port}", DJANGO_LOG_LEVEL="INFO",
        # Every visitor comes from 127.0.0.1 and clicks faster than a person reads.
        SUBMISSION_RATE_PER_IP="1000/h", QUESTIONNAIRE_MIN_SECONDS="0",
        GUNICORN_WORKERS="2",
    )
    processes: list[subprocess.Popen] = []

    def start(log: str, command: list[str], **extra: str) -> None:
        handle = (logs_dir / f"{log}.log").open("w")
        processes.append(subprocess.Popen(command, cwd=ROOT, env={**env, **extra},
                                          stdout=handle, stderr=subprocess.STDOUT))

    try:
        # What a release does before the hosts serve it (the schema came from the template).
        run_quietly(env, "collectstatic", "--noinput", "-v0")
        for host in range(WEB_HOSTS):
            port = free_port()
            start(f"web-{host + 1}", [str(Path(sys.executable).with_name("gunicorn")),
                                      "config.wsgi"], GUNICORN_BIND=f"127.0.0.1:{port}")
            stack.sites.append(f"http://127.0.0.1:{port}")
        for worker in range(WORKERS):
            start(f"worker-{worker + 1}", [sys.executable, "manage.py", "worker"])
        for site in stack.sites:
            wait_for(lambda site=site: healthy(site), what=f"{site} to answer /health/",
                     logs=stack.tail, seconds=120)
        yield stack
    finally:
        stop(processes)
        smtp.stop()
        moto.stop()
        cache = redis.Redis.from_url(REDIS)
        for key in cache.scan_iter(match=f"{cache_prefix}:*"):
            cache.delete(key)


def offered(key: str) -> list[str]:
    return [choice.value for choice in q.QUESTIONS[key].choices if choice.offered]


class Visitor:
    """One person in a browser: a cookie jar of their own, the form's CSRF token, an Origin
    header on every form post, and requests that alternate between the two hosts."""

    def __init__(self, number: int, sites: list[str]) -> None:
        self.number = number
        self.sites = sites
        self.turn = number  # half the visitors start on each host
        self.jar: dict[str, str] = {}
        self.language = "en" if number % 2 else "nl"
        self.company = f"Bakkerij Nummer {number:02d}"
        self.email = f"eigenaar{number:02d}@praktijkjansen.nl"
        sectors, sizes = offered("sector"), offered("team_size")
        self.answers = answers_per_step({"sector": sectors[number % len(sectors)],
                                         "team_size": sizes[number % len(sizes)]})
        self.contact = {"name": f"Eigenaar {number:02d}", "company": self.company,
                        "email": self.email, "phone": "", "question": "", "consent": "on"}
        self.posts = 0

    def request(self, method: str, path: str, *, site: str | None = None,
                data: dict[str, str] | None = None) -> requests.Response:
        if site is None:
            site = self.sites[self.turn % len(self.sites)]
            self.turn += 1
        headers = {"Host": PUBLIC_HOST, "X-Forwarded-Proto": "https",
                   "Accept-Language": self.language}
        if method == "POST":
            headers["Origin"] = ORIGIN  # what a browser adds to a form post
        # The cookies are Secure (production behind TLS); this client speaks plain HTTP on
        # loopback, so it keeps and sends them itself.
        response = requests.request(method, site + path, headers=headers, cookies=self.jar,
                                    data=data, allow_redirects=False, timeout=60)
        self.jar.update(response.cookies.get_dict())
        self.posts += method == "POST"
        return response

    def complete_the_questionnaire(self) -> str:
        """Home page, every step the wizard shows, the contact step: the result page's path."""
        home = self.request("GET", "/en/" if self.language == "en" else "/")
        assert home.status_code == 200, f"home page: HTTP {home.status_code}"
        path = START_LINK.search(home.text)[1]
        for _ in range(MAX_PAGES):
            page = self.request("GET", path)
            assert page.status_code == 200, f"{path}: HTTP {page.status_code}"
            step = STEP_FIELD.search(page.text)[1]
            data = {MANAGEMENT: step, "csrfmiddlewaretoken": CSRF_FIELD.search(page.text)[1],
                    **(self.contact if step == CONTACT_STEP else self.answers[step])}
            sent = self.request("POST", path, data=data)
            assert sent.status_code == 302, f"{step}: HTTP {sent.status_code}\n{sent.text[:500]}"
            path = urlsplit(sent.headers["Location"]).path
            if "/advies/" in path:
                result = self.request("GET", path)
                assert result.status_code == 200, f"result page: HTTP {result.status_code}"
                return path
        raise AssertionError("the questionnaire did not end within MAX_PAGES pages")

    def download_the_report(self, result_path: str, *, deadline: float) -> dict[str, bytes]:
        """The PDF from every host: "being prepared" (202) until it is there."""
        pdfs = {}
        for site in self.sites:
            while True:
                response = self.request("GET", result_path + "rapport.pdf", site=site)
                if response.status_code == 200:
                    pdfs[site] = response.content
                    break
                assert response.status_code == 202, f"PDF: HTTP {response.status_code}"
                assert time.monotonic() < deadline, "the PDF was not ready in time"
                time.sleep(1)  # the "being prepared" page asks again after 2 s
        return pdfs


@dataclass
class Journey:
    visitor: Visitor
    result_path: str
    pdfs: dict[str, bytes]


def test_two_hosts_and_two_workers_store_render_and_mail_everything_exactly_once(stack):
    started = time.monotonic()
    visitors = [Visitor(number, stack.sites) for number in range(1, VISITORS + 1)]
    everyone_ready = threading.Barrier(VISITORS)

    def journey(visitor: Visitor) -> Journey:
        everyone_ready.wait(timeout=60)
        path = visitor.complete_the_questionnaire()
        pdfs = visitor.download_the_report(path, deadline=started + 2 * STAGE_SECONDS)
        return Journey(visitor, path, pdfs)

    with ThreadPoolExecutor(max_workers=VISITORS) as crowd:
        journeys = list(crowd.map(journey, visitors))
    served = time.monotonic() - started

    # Both hosts served the questionnaire (their own access logs say so), each a share of
    # every visitor's steps: a step answered on one host continued on the other.
    posts = [len(re.findall(r'"POST /(?:en/)?vragen/', stack.log(f"web-{host + 1}")))
             for host in range(WEB_HOSTS)]
    assert sum(posts) == sum(visitor.posts for visitor in visitors)
    assert min(posts) >= sum(posts) // WEB_HOSTS - VISITORS, posts

    # Let the workers finish whatever the downloads asked for, then count.
    wait_for(lambda: not stack.jobs_left(), what="the queue to empty", logs=stack.tail)
    wait_for(lambda: len(stack.smtp.messages) >= 2 * VISITORS, what="every mail",
             logs=stack.tail)
    wait_for(lambda: not stack.jobs_left(), what="the queue to empty", logs=stack.tail)

    # Every submission is stored exactly once, with its own result page.
    rows = stack.query("SELECT company, email, token, report_pdf, report_failed_at "
                       "FROM advisor_submission")
    assert sorted(row[0] for row in rows) == sorted(v.company for v in visitors)
    by_company = {row[0]: row for row in rows}
    for trip in journeys:
        _company, email, token, _report, failed_at = by_company[trip.visitor.company]
        assert (email, failed_at) == (trip.visitor.email, None)
        assert trip.result_path.endswith(f"/advies/{token}/")

    # Every report was rendered once: one object, one version, nothing stored and thrown
    # away, and the same bytes from both hosts as in the bucket.
    versions, deletions = stack.stored_versions()
    assert versions == Counter(row[3] for row in rows)
    assert set(versions.values()) == {1} and deletions == 0
    renders_logged = sum(stack.log(f"worker-{n + 1}").count("Rendered report/advice.html")
                         for n in range(WORKERS))
    assert renders_logged == VISITORS
    for trip in journeys:
        stored = stack.s3.get_object(Bucket=stack.bucket, Key=by_company[
            trip.visitor.company][3])["Body"].read()
        assert stored.startswith(b"%PDF-")
        assert list(trip.pdfs.values()) == [stored] * WEB_HOSTS
    assert not stack.media.exists() or not any(stack.media.rglob("*.*")), "files on local disk"

    # Every mail arrived exactly once: the visitor's advice with the link to their own
    # result page, and the consultant's notification of each submission.
    messages = stack.smtp.messages
    assert len({str(message["Message-ID"]) for message in messages}) == len(messages)
    assert len(messages) == 2 * VISITORS
    for trip in journeys:
        [advice] = stack.smtp.to(trip.visitor.email)
        assert ORIGIN + trip.result_path in advice.get_body(("plain",)).get_content()
    notifications = stack.smtp.to(CONSULTANT)
    assert sorted(str(m["Subject"]).rsplit(": ", 1)[-1] for m in notifications) == sorted(
        v.company for v in visitors)

    # Nothing is left waiting or failed.
    assert stack.query("SELECT status, attempts, count(*) FROM advisor_outgoingmail "
                       "GROUP BY status, attempts") == [("sent", 1, 2 * VISITORS)]
    assert stack.jobs_left() == []
    assert stack.query("SELECT task_name FROM procrastinate_jobs WHERE status = 'failed'") == []

    print(f"\nscale-out: {VISITORS} visitors on {WEB_HOSTS} hosts, {len(rows)} submissions, "
          f"{sum(versions.values())} renders, {len(messages)} mails; served and downloaded in "
          f"{served:.1f} s, all done in {time.monotonic() - started:.1f} s")
