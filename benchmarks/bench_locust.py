"""50 simulated visitors complete the questionnaire: errors and p95 latency per page.

Run from the project folder:  .venv/bin/python benchmarks/bench_locust.py [--run-time 60]

Starts gunicorn (2 workers unless --workers) with production settings on a free loopback port
against a throwaway PostgreSQL database, then runs locust headless with benchmarks/locustfile.py
for a bounded time. The bot guards are relaxed for the run and only for it: every visitor comes
from 127.0.0.1 (so SUBMISSION_RATE_PER_IP is raised) and clicks faster than a person reads
(so QUESTIONNAIRE_MIN_SECONDS is 0).
"""

import argparse
import csv
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.loopback_stack import (
    PROJECT,
    gunicorn,
    machine,
    prepare_site,
    production_environment,
    throwaway_postgres,
)

LOCUSTFILE = Path(__file__).resolve().with_name("locustfile.py")


def run_locust(base: str, options: argparse.Namespace,
               workdir: str) -> tuple[list[dict[str, str]], int]:
    prefix = f"{workdir}/locust"
    subprocess.run(
        [str(Path(sys.executable).with_name("locust")), "-f", str(LOCUSTFILE), "--headless",
         "--host", base, "--users", str(options.users), "--spawn-rate", str(options.spawn_rate),
         "--run-time", f"{options.run_time}s", "--stop-timeout", "10", "--only-summary",
         "--csv", prefix, "--loglevel", "WARNING"],
        cwd=PROJECT, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        timeout=options.run_time + 120,
    )
    with open(f"{prefix}_stats.csv", newline="") as stats:
        rows = list(csv.DictReader(stats))
    # A visitor that raised (a page without its form, say) is not in the stats: count it too.
    with open(f"{prefix}_exceptions.csv", newline="") as exceptions:
        raised = sum(int(row["Count"]) for row in csv.DictReader(exceptions))
    return rows, raised


def report(rows: list[dict[str, str]], raised: int, options: argparse.Namespace) -> bool:
    """Prints the figures; False when a request failed, a visitor raised or no visitor got
    to the end (a step refused every time would otherwise look like a fast run)."""
    print(f"Locust: {options.users} visitors completing the questionnaire for "
          f"{options.run_time} s (gunicorn {options.workers} workers, production settings, "
          f"PostgreSQL; {machine()})")
    print(f"{'page':34}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}")
    for row in sorted(rows, key=lambda row: row["Name"] == "Aggregated"):
        print(f"{row['Type'] + ' ' + row['Name'] if row['Type'] else 'all pages':34}"
              f"{int(row['Request Count']):9d}{int(row['Failure Count']):8d}"
              f"{float(row['50%']):9.0f}{float(row['95%']):9.0f}")
    completed = sum(int(row["Request Count"]) for row in rows if row["Name"] == "result page")
    print(f"questionnaires completed: {completed}; visitors stopped by an exception: {raised}")
    failures = sum(int(row["Failure Count"]) for row in rows if row["Name"] == "Aggregated")
    return completed > 0 and raised == 0 and failures == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="simulated visitors (50)")
    parser.add_argument("--spawn-rate", type=float, default=10, help="new visitors/s (10)")
    parser.add_argument("--run-time", type=int, default=60, help="seconds (60)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    options = parser.parse_args()

    with (tempfile.TemporaryDirectory(prefix="bench-locust-") as workdir,
          throwaway_postgres("locust") as database_url,
          production_environment("locust", database_url=database_url,
                                 SUBMISSION_RATE_PER_IP="100000/h",
                                 QUESTIONNAIRE_MIN_SECONDS="0")):
        prepare_site()
        with gunicorn(workers=options.workers) as base:
            rows, raised = run_locust(base, options, workdir)
    if not report(rows, raised, options):
        sys.exit("Not a clean run: see the errors, exceptions and completed questionnaires above")


if __name__ == "__main__":
    main()
