"""Real Chromium against a live server: one browser per module, a fresh context per test.

On PostgreSQL a worker runs the jobs in the background (tests/jobs.py), so pages wait for a
PDF as a visitor's do. Every page a test opens is watched: a request to anything but this
machine, or a Content Security Policy violation, fails the test. `Visit.check()` takes a
screenshot (for a person to look at, in var/screenshots/, on PostgreSQL in its postgresql/
folder) and runs axe-core on the page.
"""

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connection
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.jobs import worker_in_this_process
from tests.smtp_server import LoopbackSmtp, free_port, loopback_smtp

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
# The run on PostgreSQL keeps its screenshots apart, so the two runs can go side by side.
SHOTS = (Path(__file__).resolve().parents[2] / "var" / "screenshots"
         / ("postgresql" if connection.vendor == "postgresql" else ""))
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}
# WCAG problems that block or seriously hinder someone: the tests allow none of them.
BLOCKING_IMPACTS = {"critical", "serious"}
AXE = Axe()

# Resolves when every animation and transition on the page that ends has ended (a cancelled
# one rejects its promise, and counts as ended).
SETTLE_ANIMATIONS = """() => Promise.all(document.getAnimations()
  .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
  .map((a) => a.finished.catch(() => null)))"""

# Chromium reports a blocked inline script or style, or a blocked load, to the page as a
# securitypolicyviolation event; this hands each one to the test (before any page script).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


@pytest.fixture(autouse=True)
def _jobs_run_by_a_worker(transactional_db) -> Iterator[None]:
    """On PostgreSQL a worker runs the journey's jobs (PDF, mail, domain check) as they come,
    as in production; it stops before the database is emptied for the next test. On SQLite
    the live server runs them after each commit."""
    with worker_in_this_process():
        yield


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the
    # tests are still synchronous, so Django's async guard must stand aside here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Visit:
    """One browser context: its page, what it requested, and what went wrong on the way."""

    page: Page
    base_url: str
    name: str
    outside_requests: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    accessibility: dict[str, list[str]] = field(default_factory=dict)
    shots: int = 0

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def shot(self, step: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        path = SHOTS / f"{self.name}-{self.shots:02d}-{step}.png"
        self.page.screenshot(path=path, full_page=True)
        return path

    def check(self, step: str) -> None:
        """Screenshot this state of the page and record its serious accessibility problems.

        axe measures the colours as they are at that instant, so the page is first let come to
        rest: half-way through a hover transition (a button that a layout change moved under
        the pointer) grey text on a half-filled button fails the contrast check, although
        neither the start nor the end does. A visitor who asked for less motion gets no
        transitions at all (Bootstrap's own rule), so that is the state measured; animations
        that end are waited for, an endless one (the spinner) is measured as it is."""
        self.page.emulate_media(reduced_motion="reduce")
        try:
            self.page.evaluate(SETTLE_ANIMATIONS)
            self.shot(step)
            results = AXE.run(self.page)
        finally:
            self.page.emulate_media(reduced_motion="no-preference")
        problems = [
            f"{violation['id']} ({violation['impact']}): "
            + "; ".join(node["target"][0] for node in violation["nodes"][:5])
            for violation in results.response["violations"]
            if violation["impact"] in BLOCKING_IMPACTS
        ]
        if problems:
            self.accessibility[step] = problems

    def no_horizontal_scroll(self) -> bool:
        return self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    # tel: and mailto: are handed to the phone or e-mail program, not fetched from anywhere.
    return (parts.scheme in {"data", "blob", "about", "tel", "mailto"}
            or parts.hostname in LOOPBACK_HOSTS)


@pytest.fixture
def visit(browser: Browser, live_server, request) -> Iterator[object]:
    """open(name, viewport, locale) -> Visit; checked for outside requests and CSP on exit."""
    contexts: list[tuple[BrowserContext, Visit]] = []

    def open_visit(name: str, *, viewport: dict[str, int], locale: str = "nl-NL",
                   **options: object) -> Visit:
        context = browser.new_context(viewport=viewport, device_scale_factor=1, locale=locale,
                                      accept_downloads=True, **options)
        page = context.new_page()
        current = Visit(page=page, base_url=live_server.url, name=name)
        for stale in SHOTS.glob(f"{name}-[0-9][0-9]-*.png"):
            stale.unlink()  # from an earlier run, perhaps with other steps
        context.expose_binding("__cspViolation",
                               lambda _source, text: current.csp_violations.append(text))
        context.add_init_script(CSP_LISTENER)
        page.on("console", lambda message: current.csp_violations.append(message.text)
                if "Content Security Policy" in message.text else None)
        context.on("request", lambda req: None if _is_local(req.url)
                   else current.outside_requests.append(req.url))
        contexts.append((context, current))
        return current

    yield open_visit
    for context, current in contexts:
        context.close()
        assert current.outside_requests == [], f"left the site: {current.outside_requests}"
        assert current.csp_violations == [], f"CSP violations: {current.csp_violations}"
        assert current.accessibility == {}, f"axe: serious or critical: {current.accessibility}"


@pytest.fixture
def smtp(settings) -> Iterator[LoopbackSmtp]:
    server_iter = loopback_smtp(settings)
    server = next(server_iter)
    server.start()
    yield server
    server.stop()


class RefererRecorder(BaseHTTPRequestHandler):
    """The consultant's own website on another origin: records the Referer of each visit."""

    referers: list[str | None]

    def do_GET(self) -> None:
        if self.path == "/":  # the page itself, not its favicon (whose referrer is this site)
            self.server.referers.append(self.headers.get("Referer"))  # type: ignore[attr-defined]
        body = b"<!doctype html><title>Consultant</title><p>Welkom</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def other_site() -> Iterator[ThreadingHTTPServer]:
    """A second HTTP server on loopback, another origin than the live server."""
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), RefererRecorder)
    server.referers = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def the_page_updates_itself_until_the_pdf_is_ready(page: Page) -> None:
    """While the PDF is made and the domain checked, the page's script follows them without
    reloading (there is no <meta> refresh); then it offers the download and stops asking.
    At once on SQLite, where the web process runs the jobs; on PostgreSQL when the worker is
    done, as in production."""
    expect(page.locator("meta[http-equiv=refresh]")).to_have_count(0)
    expect(page.locator("a.report-download")).to_be_visible(timeout=60_000)
    expect(page.locator("[data-check-again]")).to_have_count(0, timeout=60_000)
