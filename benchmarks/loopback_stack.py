"""What the benchmarks start on this machine's loopback: a throwaway PostgreSQL database, a
Redis key prefix of their own, production settings, and gunicorn with the project's config.

Nothing here touches var/, the development database or another run's keys: every name ends
in a random suffix, and everything is removed again when the benchmark ends.
"""

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/0"
HOST = "127.0.0.1"
# What a TLS proxy adds to every request: production settings redirect plain HTTP otherwise.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def machine() -> str:
    """The CPU count and the load right now: throughput figures mean little without it."""
    one, five, _ = os.getloadavg()
    return f"{os.cpu_count()} CPUs, load average {one:.1f} (1 min) {five:.1f} (5 min)"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def throwaway_postgres(label: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for one run; dropped afterwards."""
    import psycopg

    name = f"bench_{label}_{secrets.token_hex(4)}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def production_environment(label: str, *, database_url: str, **extra: str) -> Iterator[dict]:
    """os.environ for production settings with a throwaway secret, files in a temp folder.

    The benchmark's own URLconf (benchmarks/bench_urls.py) adds the bare Django view.
    """
    with tempfile.TemporaryDirectory(prefix=f"bench-{label}-") as workdir:
        environment = {
            "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            # testserver: Django's test client, which some benchmarks use in-process.
            "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost,testserver",
            "DATABASE_URL": database_url,
            "REDIS_URL": REDIS,
            "CACHE_KEY_PREFIX": f"bench-{label}-{secrets.token_hex(4)}",
            "DJANGO_STATIC_ROOT": f"{workdir}/static",
            "DJANGO_MEDIA_ROOT": f"{workdir}/media",
            "DJANGO_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(PROJECT),
            **extra,
        }
        saved = dict(os.environ)
        os.environ.update(environment)
        try:
            yield dict(os.environ)
        finally:
            os.environ.clear()
            os.environ.update(saved)


def manage(*args: str) -> None:
    """manage.py in a child process with the current environment (quiet unless it fails)."""
    manage_with()(*args)


def manage_with(**environment: str):
    """manage.py as manage() does, with these environment variables changed."""
    def run(*args: str) -> None:
        subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT, check=True,
                       stdout=subprocess.DEVNULL, env={**os.environ, **environment})
    return run


def prepare_site() -> None:
    """What a release does before it serves: the schema and the collected static files."""
    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")


@contextlib.contextmanager
def gunicorn(*, workers: int) -> Iterator[str]:
    """gunicorn with gunicorn.conf.py on a free loopback port; yields its base URL."""
    port = free_port()
    environment = {**os.environ, "GUNICORN_WORKERS": str(workers),
                   "GUNICORN_BIND": f"{HOST}:{port}"}
    base = f"http://{HOST}:{port}"
    # The access log stays on, as in production; it goes to a file nobody reads.
    with tempfile.TemporaryFile() as log, subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "config.wsgi"],
        cwd=PROJECT, env=environment, stdout=log, stderr=subprocess.STDOUT,
    ) as process:
        try:
            wait_until_healthy(base, process)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


def wait_until_healthy(base: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped with status {process.returncode}")
        with contextlib.suppress(OSError), urllib.request.urlopen(
            f"{base}/health/", timeout=2
        ) as response:
            if response.status == 200:
                return
        time.sleep(0.2)
    sys.exit("gunicorn did not answer /health/ in time")


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """One GET without following redirects: (status, body)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={**PROXY_HEADERS, **(headers or {})})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
