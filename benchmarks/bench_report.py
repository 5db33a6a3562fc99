"""Render time versus cached download time of the PDF advice report.

Run from the project folder:  .venv/bin/python benchmarks/bench_report.py [--runs 5]

Uses a throwaway SQLite database and media folder; takes well under a minute.
"""

import argparse
import os
import statistics
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
    elapsed = time.perf_counter() - started
    if response.status_code != 200 or response["Content-Type"] != "application/pdf":
        sys.exit(f"Download failed: HTTP {response.status_code}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="renders to time (default 5)")
    parser.add_argument(
        "--cached-runs", type=int, default=25, help="cached downloads to time (default 25)"
    )
    options = parser.parse_args()

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
    url = reverse("advisor:report_pdf", kwargs={"token": submission.token})
    client = Client()

    # The very first render also starts the render process server: shown apart.
    cold = timed_get(client, url)
    renders = []
    for _ in range(options.runs):
        # Forget the stored report, so the download has to render it again.
        Submission.objects.filter(pk=submission.pk).update(report_fingerprint="")
        renders.append(timed_get(client, url))
    cached = [timed_get(client, url) for _ in range(options.cached_runs)]

    render_ms = statistics.median(renders) * 1000
    cached_ms = statistics.median(cached) * 1000
    print(f"PDF advice report, download via the test client ({os.cpu_count()} CPUs)")
    print(f"{'':24}{'render':>12}{'cached':>12}{'ratio':>10}")
    print(f"{'median (ms)':24}{render_ms:12.1f}{cached_ms:12.1f}{render_ms / cached_ms:9.0f}x")
    print(f"{'runs':24}{options.runs:12d}{options.cached_runs:12d}")
    print(f"{'first render, cold (ms)':24}{cold * 1000:12.1f}")
    workdir.cleanup()


if __name__ == "__main__":
    main()
