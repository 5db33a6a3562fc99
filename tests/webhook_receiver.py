"""A real HTTPS webhook receiver on loopback, as a CRM would run one.

It verifies every request with the ``standardwebhooks`` library (the receiver's side of the
convention), processes each webhook-id once (Standard Webhooks asks receivers to dedupe on
it), and can be down (connections refused), slow (answers after the client gave up) or answer
with the statuses a test lines up. TLS with a throwaway CA and certificate from ``trustme``;
the site trusts that CA through settings.WEBHOOK_CA_BUNDLE.
"""

import json
import socket
import ssl
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import trustme
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError


@dataclass
class Received:
    """One request as it arrived: its headers, payload, and whether its signature held."""

    webhook_id: str
    headers: dict[str, str]
    payload: Any
    verified: bool
    path: str


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering, after processing


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    receiver: "LoopbackReceiver"


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        self.request.do_handshake()  # here, in this request's thread
        super().setup()

    def do_POST(self) -> None:
        receiver = self.server.receiver
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        answer = receiver.handle(self.path, dict(self.headers.items()), body)
        if answer.delay:
            receiver.wake.wait(answer.delay)
        try:
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
        except OSError:
            pass  # the client gave up waiting: that is what a slow answer is for

    def log_message(self, format: str, *args: object) -> None:
        pass


class LoopbackReceiver:
    """The CRM's webhook endpoint: ``url`` while up, connection refused while down."""

    def __init__(self, ca: trustme.CA, *, host: str = "127.0.0.1", path: str = "/hooks/crm"
                 ) -> None:
        self.host, self.path = host, path
        self.secrets: list[str] = []
        self.received: list[Received] = []
        self.processed: dict[str, Any] = {}  # webhook-id -> payload, each id once
        self.answers: deque[Answer] = deque()
        self.wake = threading.Event()
        self._lock = threading.Lock()
        self._context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1", "localhost", "::1").configure_cert(self._context)
        # Held bound but not listening while down: connections are refused, and no other
        # program can take the port before the receiver comes back.
        self._reserved = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        self._reserved.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._reserved.bind((host, 0))
        self.port = self._reserved.getsockname()[1]
        self._server: _Server | None = None

    @property
    def url(self) -> str:
        name = f"[{self.host}]" if ":" in self.host else self.host
        return f"https://{name}:{self.port}{self.path}"

    def url_as(self, hostname: str) -> str:
        return f"https://{hostname}:{self.port}{self.path}"

    # --- Up and down ---

    def start(self) -> "LoopbackReceiver":
        if self._server is None:
            self._reserved.close()
            self.wake.clear()
            server = _Server((self.host, self.port), _Handler, bind_and_activate=False)
            server.allow_reuse_address = True
            server.server_bind()
            server.server_activate()
            # The handshake happens in each request's thread, not in the accepting one.
            server.socket = self._context.wrap_socket(server.socket, server_side=True,
                                                      do_handshake_on_connect=False)
            server.receiver = self
            threading.Thread(target=server.serve_forever, daemon=True).start()
            self._server = server
        return self

    def stop(self) -> None:
        """Go down: from now on every connection is refused."""
        if self._server is not None:
            self.wake.set()
            self._server.shutdown()
            self._server.server_close()
            self._server = None
            self._reserved = socket.socket(self._server_family())
            self._reserved.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self._reserved.bind((self.host, self.port))

    def close(self) -> None:
        self.stop()
        self._reserved.close()

    def _server_family(self) -> socket.AddressFamily:
        return socket.AF_INET6 if ":" in self.host else socket.AF_INET

    def refuses_connections(self) -> bool:
        try:
            socket.create_connection((self.host, self.port), timeout=2).close()
        except ConnectionRefusedError:
            return True
        return False

    # --- What it answers ---

    def answer_with(self, *answers: int | Answer) -> None:
        """The answers to the next requests, in order; after them, 200."""
        self.answers.extend(a if isinstance(a, Answer) else Answer(status=a) for a in answers)

    def handle(self, path: str, headers: dict[str, str], body: bytes) -> Answer:
        lowered = {name.lower(): value for name, value in headers.items()}
        verified, payload = self._verify(body, lowered)
        with self._lock:
            webhook_id = lowered.get("webhook-id", "")
            self.received.append(Received(webhook_id=webhook_id, headers=lowered,
                                          payload=payload, verified=verified, path=path))
            if not verified:
                return Answer(status=401)  # a receiver refuses what it cannot verify
            answer = self.answers.popleft() if self.answers else Answer()
            if answer.status < 300:
                # Processed once per webhook-id, however often it comes.
                self.processed.setdefault(webhook_id, payload)
            return answer

    def _verify(self, body: bytes, headers: dict[str, str]) -> tuple[bool, Any]:
        for secret in self.secrets:
            try:
                return True, Webhook(secret).verify(body, headers)
            except WebhookVerificationError:
                continue
        return False, json.loads(body or b"null")

    # --- What it got ---

    def ids(self) -> list[str]:
        return [request.webhook_id for request in self.received]

    def of_type(self, event: str) -> list[Any]:
        return [payload for payload in self.processed.values() if payload["type"] == event]


def throwaway_ca(folder: Path) -> tuple[trustme.CA, Path]:
    """A CA made for this test run, and its certificate as a PEM file for the site."""
    ca = trustme.CA()
    pem = folder / "webhook-test-ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    return ca, pem
