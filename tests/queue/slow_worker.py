"""Settings for a worker that stops in the middle of its work, so a test can kill it there.

Used as DJANGO_SETTINGS_MODULE=tests.queue.slow_worker by tests/queue/test_workers.py only:
the report render and the SMTP send first write a marker file (SLOW_MARKER) and then wait
far longer than the test does; or ("render until erased") the render waits until the test has
erased its submission.
"""

import os
import time
from pathlib import Path

from config.settings import *  # noqa: F403

PROCRASTINATE_ON_APP_READY = "tests.queue.slow_worker.on_app_ready"


def on_app_ready(app) -> None:
    from advisor.queue.app import on_app_ready as site_on_app_ready
    from advisor.reports import report

    site_on_app_ready(app)
    marker = Path(os.environ["SLOW_MARKER"])

    def hang(*args, **kwargs):
        marker.write_text("started")
        time.sleep(600)

    def render_once_erased(submission):
        # Renders until the test has erased the submission, then returns a finished PDF.
        marker.write_text("started")
        erased = marker.with_name("erased")
        for _ in range(600):
            if erased.exists():
                return b"%PDF-1.7 rendered while its submission was erased"
            time.sleep(0.1)
        raise TimeoutError("the test never erased the submission")

    if os.environ.get("SLOW_PART") == "render":
        report.render_report = hang
    if os.environ.get("SLOW_PART") == "render until erased":
        report.render_report = render_once_erased
