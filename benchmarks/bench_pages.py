"""Page throughput and latency next to a bare Django view, on the same gunicorn, in one run.

Run from the project folder:  .venv/bin/python benchmarks/bench_pages.py [--duration 10]

Starts gunicorn with gunicorn.conf.py (2 workers unless --workers) and production settings on
a free loopback port, against a throwaway PostgreSQL database (or --sqlite), and measures with
wrk (32 connections, 2 threads): the bare view, the home page, a questionnaire step (the second,
with a session cookie per connection, as real visitors each have their own), the result page,
and the bare view once more. The figure is each page's requests/s divided by the bare view's
(the mean of its two runs). Takes about a minute and a half.
"""

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.loopback_stack import (
    PROXY_HEADERS,
    fetch,
    gunicorn,
    machine,
    prepare_site,
    production_environment,
    throwaway_postgres,
)

CONNECTIONS = 32
THREADS = 2
WARM_UP_SECONDS = 2
SESSIONS = 64  # distinct visitors for the step page, so no two connections share a session
STEP = "email"  # the second step: the first one's answers are in the session
CONTACT = {"name": "Eva Jansen", "company": "Huisartsenpraktijk Jansen",
           "email": "eva@praktijkjansen.example"}
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int  # answers other than 2xx or 3xx
    socket_errors: int  # mostly timeouts: wrk gives up on a request after 2 s


def require_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("wrk is not installed: apt-get install -y wrk (Debian's package)")
    return wrk


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


def parse_wrk(output: str) -> WrkResult:
    percentiles = dict(re.findall(r"^ +(50|99)% +(\S+) *$", output, re.MULTILINE))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                        output)
    return WrkResult(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=milliseconds(percentiles["50"]),
        p99_ms=milliseconds(percentiles["99"]),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(map(int, sockets.groups())) if sockets else 0,
    )


def lua_for(cookies: list[str]) -> str:
    """A wrk script that gives each request the next visitor's cookie."""
    headers = ", ".join(f'["{name}"] = "{value}"' for name, value in PROXY_HEADERS.items())
    listed = ", ".join(f'"{cookie}"' for cookie in cookies)
    return f"""
local cookies = {{{listed}}}
local i = 0
request = function()
  i = i % #cookies + 1
  return wrk.format(nil, nil, {{{headers}, ["Cookie"] = cookies[i]}})
end
"""


def run_wrk(wrk: str, url: str, seconds: int, script: str | None) -> WrkResult:
    command = [wrk, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    if script:
        command += ["-s", script]
    else:
        for name, value in PROXY_HEADERS.items():
            command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    try:
        return parse_wrk(output)
    except (AttributeError, KeyError):
        sys.exit(f"Could not read wrk's output:\n{output}")


def step_answers() -> dict[str, dict[str, str]]:
    """Every step answered with the table's defaults."""
    from advisor.advice.table import STEPS

    return {step.name: {q.key: q.default for q in step.questions} for step in STEPS}


def visitor_cookies(count: int) -> list[str]:
    """Session cookies of visitors who answered the first step."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    name = settings.SESSION_COOKIE_NAME  # "__Host-sessionid" in production
    first = next(iter(step_answers().items()))
    cookies = []
    for _ in range(count):
        client = Client()
        url = reverse("advisor:step", kwargs={"step": first[0]})
        client.get(url, secure=True)
        client.post(url, {"questionnaire_view-current_step": first[0], **first[1]}, secure=True)
        cookies.append(f"{name}={client.cookies[name].value}")
    return cookies


def result_path() -> str:
    from django.urls import reverse

    from advisor.questionnaire.services import create_submission

    answers = {key: value for step in step_answers().values() for key, value in step.items()}
    submission = create_submission(answers=answers, contact=CONTACT, language="nl")
    return reverse("advisor:result", kwargs={"token": submission.token})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL (10)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    options = parser.parse_args()
    wrk = require_wrk()

    with tempfile.TemporaryDirectory(prefix="bench-pages-") as workdir:
        if options.sqlite:
            measure(wrk, options, f"sqlite:///{workdir}/db.sqlite3", workdir)
        else:
            with throwaway_postgres("pages") as database_url:
                measure(wrk, options, database_url, workdir)


def measure(wrk: str, options: argparse.Namespace, database_url: str, workdir: str) -> None:
    with production_environment("pages", database_url=database_url):
        prepare_site()
        import django

        django.setup()
        from django.urls import reverse

        from benchmarks.bench_urls import BARE_PATH

        script = Path(workdir) / "cookies.lua"
        script.write_text(lua_for(visitor_cookies(SESSIONS)))
        pages = [
            ("bare Django view", BARE_PATH, None),
            ("home page", reverse("advisor:home"), None),
            (f"questionnaire step ({STEP})", reverse("advisor:step", kwargs={"step": STEP}),
             str(script)),
            ("result page", result_path(), None),
            ("bare Django view, again", BARE_PATH, None),
        ]
        from django.db import connections

        connections.close_all()  # gunicorn's workers open their own
        with gunicorn(workers=options.workers) as base:
            cookie = script.read_text().split('"')[1]  # the first visitor, for the check
            results = []
            for name, path, lua in pages:
                status, _ = fetch(base + path, {"Cookie": cookie} if lua else {})
                if status != 200:
                    sys.exit(f"{name}: HTTP {status} instead of 200 before measuring")
                run_wrk(wrk, base + path, WARM_UP_SECONDS, lua)
                results.append((name, run_wrk(wrk, base + path, options.duration, lua)))
    report(results, options, database_url)


def report(results: list[tuple[str, WrkResult]], options: argparse.Namespace,
           database_url: str) -> None:
    bare = statistics.mean(r.requests_per_second for name, r in results if name.startswith("bare"))
    database = "SQLite" if database_url.startswith("sqlite") else "PostgreSQL"
    print(f"Pages on gunicorn ({options.workers} workers, production settings, {database}); "
          f"wrk {CONNECTIONS} connections, {THREADS} threads, {options.duration} s per URL; "
          f"{machine()}")
    print(f"{'':34}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>8}{'sock err':>9}"
          f"{'x bare':>9}")
    for name, r in results:
        print(f"{name:34}{r.requests_per_second:9.0f}{r.p50_ms:9.1f}{r.p99_ms:9.1f}"
              f"{r.non_2xx:8d}{r.socket_errors:9d}{r.requests_per_second / bare:9.2f}")


if __name__ == "__main__":
    main()
