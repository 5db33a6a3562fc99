"""A real SMTP server on loopback (aiosmtpd) that the tests can stop and start again."""

import socket
from collections import Counter
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LoopbackSmtp:
    """Records every accepted message; while stopped, connections are refused."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self._controller: Controller | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def refuses_connections(self) -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) != 0

    def received(self) -> Counter[tuple[str, str]]:
        """How many messages arrived per (recipient, subject)."""
        return Counter((str(m["To"]), str(m["Subject"])) for m in self.messages)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if str(m["To"]) == address]


def loopback_smtp(settings: Any) -> Iterator[LoopbackSmtp]:
    """Point Django's SMTP backend at a loopback server, created stopped: call .start().

    Use from a fixture: `yield from loopback_smtp(settings)`.
    """
    server = LoopbackSmtp()
    settings.MAILERS = {"default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
    }}
    yield server
    server.stop()
