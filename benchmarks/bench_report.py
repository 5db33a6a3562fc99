"""Render time versus stored download time of the PDF advice report, and the first render
after a worker starts: without and with the warm-up that `manage.py worker` does.

Run from the project folder:  .venv/bin/python benchmarks/bench_report.py [--runs 5]

Uses a throwaway SQLite database and media folder; takes well under a minute.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
ANSWERS = {
    "team_size": "6_15",
    "sector": "healthcare",
    "sensitive_data": "lots",
    "calendar": "shared",
    "current_setup": "pop",
}
CONTACT = {
    "name": "Eva Jansen",
    "company": "Huisartsenpraktijk Jansen",
    "email": "eva@praktijkjansen.example",
}


def timed_get(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    b"".join(response.streaming_content)
    elapsed = time.perf_counter() - started
    if response.status_code != 200 or response["Content-Type"] != "application/pdf":
        sys.exit(f"Download failed: HTTP {response.status_code}")
    return elapsed


def timed_render(submission) -> float:
    """One render and store, as the worker's job does it."""
    from advisor.models import Submission
    from advisor.reports.report import store_report_of

    Submission.objects.filter(pk=submission.pk).update(report_fingerprint="")
    started = time.perf_counter()
    store_report_of(submission_id=submission.pk)
    return time.perf_counter() - started


def first_render_in_a_fresh_process(*, warm: bool) -> tuple[float, float]:
    """Start a new process (as a worker starts), optionally warm up, time its first render."""
    result = subprocess.run(
        [sys.executable, __file__, "--first-render", "warm" if warm else "cold"],
        capture_output=True, text=True, check=True, env=os.environ,
    )
    warm_up, first = result.stdout.split()[-2:]
    return float(warm_up), float(first)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="renders to time (default 5)")
    parser.add_argument(
        "--cached-runs", type=int, default=25, help="cached downloads to time (default 25)"
    )
    parser.add_argument("--first-render", choices=["cold", "warm"], help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.first_render:
        # A child process: the database exists; time the first render after starting.
        sys.path.insert(0, str(PROJECT))
        import django

        django.setup()
        from advisor.models import Submission
        from advisor.reports.pdf import warm_up

        warming = warm_up() if options.first_render == "warm" else 0.0
        print(f"{warming:.4f} {timed_render(Submission.objects.get()):.4f}")
        return

    workdir = tempfile.TemporaryDirectory(prefix="bench-report-")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{workdir.name}/db.sqlite3",
            "DJANGO_MEDIA_ROOT": f"{workdir.name}/media",
            "DJANGO_LOG_LEVEL": "WARNING",
        }
    )
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from advisor.models import Submission
    from advisor.questionnaire.services import create_submission

    setup_test_environment()  # allows the test client's host, keeps mail in memory
    call_command("migrate", verbosity=0)
    submission = create_submission(answers=ANSWERS, contact=CONTACT, language="nl")
    Submission.objects.exclude(pk=submission.pk).delete()
    url = reverse("advisor:report_pdf", kwargs={"token": submission.token})
    client = Client()

    # A worker just started, without and with the warm-up: each in a fresh process.
    _, cold = first_render_in_a_fresh_process(warm=False)
    warming, warmed = first_render_in_a_fresh_process(warm=True)
    renders = [timed_render(submission) for _ in range(options.runs)]
    cached = [timed_get(client, url) for _ in range(options.cached_runs)]

    render_ms = statistics.median(renders) * 1000
    cached_ms = statistics.median(cached) * 1000
    print(f"PDF advice report ({os.cpu_count()} CPUs)")
    print(f"{'':34}{'render':>10}{'download':>10}{'ratio':>8}")
    print(f"{'median (ms)':34}{render_ms:10.1f}{cached_ms:10.1f}{render_ms / cached_ms:7.0f}x")
    print(f"{'runs':34}{options.runs:10d}{options.cached_runs:10d}")
    print("First render after a worker starts (ms):")
    print(f"{'  without warm-up':34}{cold * 1000:10.1f}")
    print(f"{'  after warm-up':34}{warmed * 1000:10.1f}   (warm-up took {warming * 1000:.0f} ms)")
    print(f"{'  later renders, median':34}{render_ms:10.1f}")
    workdir.cleanup()


if __name__ == "__main__":
    main()
