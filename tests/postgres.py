"""Throwaway PostgreSQL databases for the tests that start processes of their own
(tests/queue/test_workers.py, tests/scale/).

`manage.py migrate` runs once per test session, into a template database; each test then gets
a copy of it (CREATE DATABASE ... TEMPLATE), in a fraction of a second instead of a whole
migration run. Every name ends in a random suffix (several test runs share this machine's
PostgreSQL), and each database is dropped again by the one that made it.
"""

import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
POSTGRES = "postgresql://postgres@127.0.0.1:5432"


def _admin(sql: str) -> None:
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(sql)


@contextlib.contextmanager
def migrated_template() -> Iterator[str]:
    """A database with every migration applied, to copy from; its name."""
    name = f"keuzehulp_template_{uuid.uuid4().hex[:12]}"
    _admin(f'CREATE DATABASE "{name}"')
    try:
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "S3_"))}
        env.update(DATABASE_URL=f"{POSTGRES}/{name}", DJANGO_SETTINGS_MODULE="config.settings")
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT,
                       env=env, check=True, timeout=300)
        yield name
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def copy_of(template: str, *, label: str) -> Iterator[str]:
    """A migrated database of this test's own, copied from the template; its URL."""
    name = f"keuzehulp_{label}_{uuid.uuid4().hex[:12]}"
    _admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
