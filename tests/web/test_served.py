"""What a real gunicorn process does with hostile requests: its access log keeps back-office
searches out, a giant body is refused unread, a file on a public form is a 400."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.smtp_server import free_port

ROOT = Path(__file__).resolve().parents[2]
HUNDRED_MB = 100 * 1024 * 1024


def get(port: int, path: str, headers: dict[str, str] | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response, body


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """gunicorn with the project's gunicorn.conf.py (as in the Docker image) on a fresh
    database; yields the port and the file its output (the access log) goes to."""
    folder = tmp_path_factory.mktemp("served")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    env.update(DJANGO_DEBUG="true", DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
               DJANGO_LOG_LEVEL="WARNING")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True,
                   env=env, timeout=120)
    port = free_port()
    log = folder / "output.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(port, "/health/")[0].status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
        yield port, log
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_admin_searches_never_reach_the_access_log(served):
    port, log = served
    searches = ["/admin/advisor/submission/?q=eva%40praktijkjansen.nl",
                "/admin/advisor/submission/?q=Eva+Jansen&o=1",
                "/admin/advisor/submission/?q=jansen%2Beva%40Praktijk.NL"]
    for url in searches:
        get(port, url)
    # A lead opened from the search results carries the search in its Referer.
    get(port, "/admin/advisor/submission/1/change/",
        {"Referer": f"http://127.0.0.1:{port}/admin/advisor/submission/?q=eva%40x.nl"})
    time.sleep(0.5)  # the access log line is written after the response
    written = log.read_text()
    assert "/admin/advisor/submission/ HTTP/1.1" in written  # the requests were logged...
    for secret in ("eva", "Eva", "Jansen", "%40", "q="):
        assert secret not in written, secret  # ...without what was searched for


def test_a_hundred_megabyte_body_is_refused_before_it_is_read(served):
    port, _log = served
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(
            b"POST /vragen/business/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {HUNDRED_MB}\r\n\r\n".encode()
            + b"a=" + b"x" * 65536
        )
        # The answer comes with only 64 KB of the 100 MB sent: nothing waited for the rest.
        answer = conn.recv(65536).decode(errors="replace")
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    assert get(port, "/health/")[0].status == 200  # and the worker is fine


def test_a_file_sent_to_a_public_form_is_a_clear_400(served):
    port, _log = served
    boundary = "hostile"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"upload\"; "
            f"filename=\"x.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n"
            f"--{boundary}--\r\n")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", "/vragen/business/", body=body,
                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    response = conn.getresponse()
    assert response.status == 400
    assert "bestanden" in response.read().decode()  # in Dutch, saying what went wrong
