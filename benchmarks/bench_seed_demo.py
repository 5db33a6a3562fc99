"""How fast `manage.py seed_demo` fills a database, against writing the same number of rows.

Run from the project folder:  .venv/bin/python benchmarks/bench_seed_demo.py [--count 3000]

Baseline in the same run: bulk_create of COUNT copies of one ready-made lead, the floor of
what the database needs. seed_demo adds Faker names and the advice of the real engine (once
per answer combination). Uses a throwaway SQLite database; takes seconds for 3,000 leads.
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3000, help="leads to create (3000)")
    options = parser.parse_args()

    workdir = tempfile.TemporaryDirectory(prefix="bench-seed-")
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{workdir.name}/db.sqlite3",
        "DJANGO_LOG_LEVEL": "WARNING",
    })
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()
    from django.core.management import call_command

    from advisor.advice.engine import advise
    from advisor.models import Submission
    from advisor.privacy.consent import PRIVACY_STATEMENT_VERSION

    call_command("migrate", verbosity=0)
    advice = advise({}).as_dict()
    contact = {"name": "Eva Jansen", "company": "Bakkerij Jansen", "email": "eva@b.example"}

    def baseline() -> None:
        Submission.objects.bulk_create(
            [Submission.from_advice(advice, contact=contact, language="nl",
                                    consent_version=PRIVACY_STATEMENT_VERSION)
             for _ in range(options.count)], batch_size=2000)

    floor = timed(baseline)
    Submission.objects.all().delete()
    seeded = timed(lambda: call_command("seed_demo", "--count", str(options.count),
                                        stdout=io.StringIO()))

    print(f"seed_demo, {options.count} leads on SQLite ({os.cpu_count()} CPUs)")
    print(f"{'':28}{'seconds':>10}{'per 1,000':>12}")
    for label, seconds in (("bulk_create (baseline)", floor), ("seed_demo", seeded)):
        print(f"{label:28}{seconds:10.2f}{seconds / options.count * 1000:12.2f}")
    print(f"{'ratio':28}{seeded / floor:9.1f}x")
    workdir.cleanup()


if __name__ == "__main__":
    main()
