"""Where the time of a questionnaire step page goes: 200 renders, profiled, in one process.

Run from the project folder:  .venv/bin/python benchmarks/profile_step.py [--renders 200]
                              [--page step|result|home]

Production settings, a throwaway PostgreSQL database, a visitor who answered the first step;
Django's test client GETs the second step (or, with --page, the result page of a stored
submission or the home page) --renders times under cProfile (after warm-up).
Prints the time per page, the template variable look-ups, template renders and SQL queries
per page, the share of the time by package (own time), and the costliest functions by
cumulative time. Writes the raw profile to --output for snakeviz or pstats.
"""

import argparse
import cProfile
import pstats
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_pages import STEP, result_path, step_answers
from benchmarks.loopback_stack import (
    prepare_site,
    production_environment,
    throwaway_postgres,
)

# Own time is attributed to the first of these that the function's file path contains.
PACKAGES = ("crispy_forms", "crispy_bootstrap5", "formtools", "django/template",
            "django/forms", "django/utils/translation", "django/contrib/sessions", "django/db",
            "psycopg", "django/middleware", "django/utils/csp", "django/urls", "advisor",
            "django", "python3.13")
# (what, file path fragment, function): the stages of one step page, found in the profile.
CHECKPOINTS = (
    ("middleware and view, the whole request", "core/handlers/base.py", "get_response"),
    ("the step's template rendered (all of it)", "django/template/response.py",
     "rendered_content"),
    ("  template variable look-ups (all templates)", "django/template/base.py",
     "_resolve_lookup"),
    ("the wizard view before rendering", "formtools/wizard/views.py", "dispatch"),
    ("  session loaded (SELECT)", "sessions/backends/db.py", "load"),
    ("session middleware after the page (a write, when any)", "sessions/middleware.py",
     "process_response"),
    ("consultant branding (cached profile, or the database)", "consultant/branding.py",
     "get_branding"),
    ("HTML fragments from the cache (hits and renders)", "lib/fragments.py", "cached_html"),
    ("SQL, all queries (Django and psycopg)", "db/backends/utils.py", "_execute"),
    ("translations (gettext)", "utils/translation/__init__.py", "gettext"),
)


def counted(counter: Counter, key: str, function):
    def wrapper(*args, **kwargs):
        counter[key] += 1
        return function(*args, **kwargs)

    return wrapper


def count_per_page(client, url: str, renders: int) -> dict[str, float]:
    """Template variable look-ups, template renders and queries per page."""
    from django.db import connection
    from django.template import base
    from django.test.utils import CaptureQueriesContext

    counter: Counter = Counter()
    originals = (base.Variable._resolve_lookup, base.Template._render)
    base.Variable._resolve_lookup = counted(counter, "variable look-ups", originals[0])
    base.Template._render = counted(counter, "templates rendered", originals[1])
    try:
        with CaptureQueriesContext(connection) as queries:
            for _ in range(renders):
                client.get(url, secure=True)
    finally:
        base.Variable._resolve_lookup, base.Template._render = originals
    counter["SQL queries"] = len(queries.captured_queries)
    return {key: value / renders for key, value in counter.items()}


def package_of(filename: str) -> str:
    return next((package for package in PACKAGES if package in filename), "other")


def report(profile: pstats.Stats, per_page_ms: float, counts: dict[str, float],
           renders: int, page: str) -> None:
    print(f"{page} via the test client, {renders} renders after warm-up, "
          "production settings, PostgreSQL")
    print(f"time per page: {per_page_ms:.1f} ms (without the profiler)")
    for key, value in counts.items():
        print(f"{key} per page: {value:.0f}")
    stats = profile.stats  # {(file, line, name): (calls, primitive, own, cumulative, callers)}
    total = sum(own for _, _, own, _, _ in stats.values())
    shares: Counter = Counter()
    for (filename, _, _), (_, _, own, _, _) in stats.items():
        shares[package_of(filename)] += own
    print("\nown time by package:")
    for package, own in shares.most_common():
        print(f"  {package:28}{100 * own / total:6.1f} %")
    print("\nwhere a page's time goes (cumulative, overlapping; ms from the unprofiled time):")
    for label, path, function in CHECKPOINTS:
        cumulative = max((entry[3] for (filename, _, name), entry in stats.items()
                          if path in filename and name == function), default=0.0)
        share = cumulative / total
        print(f"  {label:52}{100 * share:6.1f} %{share * per_page_ms:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=200, help="pages to profile (200)")
    parser.add_argument("--output", default="/tmp/profile_step.prof", help="raw cProfile data")
    parser.add_argument("--page", choices=("step", "result", "home"), default="step",
                        help="the page to profile (step)")
    options = parser.parse_args()

    with (throwaway_postgres("profile") as database_url,
          production_environment("profile", database_url=database_url)):
        prepare_site()
        import django

        django.setup()
        from django.db import connections
        from django.test import Client
        from django.urls import reverse

        first, answers = next(iter(step_answers().items()))
        client = Client()
        client.get(reverse("advisor:step", kwargs={"step": first}), secure=True)
        client.post(reverse("advisor:step", kwargs={"step": first}),
                    {"questionnaire_view-current_step": first, **answers}, secure=True)
        url = {"step": lambda: reverse("advisor:step", kwargs={"step": STEP}),
               "result": result_path, "home": lambda: reverse("advisor:home")}[options.page]()
        page = {"step": f"Questionnaire step '{STEP}'", "result": "The result page",
                "home": "The home page"}[options.page]
        for _ in range(20):  # warm-up: template loaders, translations, connections
            assert client.get(url, secure=True).status_code == 200
        started = time.perf_counter()
        for _ in range(options.renders):
            client.get(url, secure=True)
        per_page_ms = (time.perf_counter() - started) * 1000 / options.renders
        counts = count_per_page(client, url, options.renders)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(options.renders):
            client.get(url, secure=True)
        profiler.disable()
        connections.close_all()
    profiler.dump_stats(options.output)
    report(pstats.Stats(options.output), per_page_ms, counts, options.renders, page)
    print(f"\nraw profile: {options.output}")


if __name__ == "__main__":
    main()
