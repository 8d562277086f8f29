"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the mail tests, and its outages.

:class:`MailServer` listens on a free port of its own and keeps every message it accepts.
It can be stopped and started again on the same port (the mail server goes down and comes
back), or told to answer every message with a reply such as ``451`` (temporary refusal) or
``421`` (service closing). The fixtures point ``SPREIDING_SMTP__*`` at it.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from spreiding.core.settings import get_settings


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Received:
    """One message the server accepted: the envelope and the parsed e-mail."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage

    @property
    def to(self) -> str:
        return str(self.message["To"])

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        return self.message.get_body(("plain",)).get_content()


class _Handler:
    def __init__(self, server: MailServer) -> None:
        self.server = server

    async def handle_DATA(self, _server, _session, envelope) -> str:
        if self.server.reply is not None:
            return self.server.reply
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        self.server.received.append(
            Received(envelope.mail_from, tuple(envelope.rcpt_tos), parsed)  # type: ignore[arg-type]
        )
        return "250 2.0.0 OK: queued"


class MailServer:
    """An SMTP server on 127.0.0.1:``port`` that keeps what it accepts in :attr:`received`."""

    def __init__(self, port: int | None = None, **smtp_parameters) -> None:
        self.port = port or free_port()
        self.received: list[Received] = []
        self.reply: str | None = None
        self._parameters = smtp_parameters
        self._controller: Controller | None = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> MailServer:
        """Listen (again) on the same port."""
        assert self._controller is None, "the mail server is running already"
        controller = Controller(
            _Handler(self), hostname="127.0.0.1", port=self.port, **self._parameters
        )
        controller.start()
        self._controller = controller
        return self

    def stop(self) -> None:
        """Stop listening: connecting now fails with 'connection refused'."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[Received]:
        """The messages accepted for ``address``."""
        return [r for r in self.received if address in r.rcpt_tos]


def point_settings_at(monkeypatch: pytest.MonkeyPatch, server: MailServer, **extra: str) -> None:
    """Make ``get_settings().smtp`` name ``server`` (no TLS, no login unless ``extra`` says)."""
    monkeypatch.setenv("SPREIDING_SMTP__HOST", "127.0.0.1")
    monkeypatch.setenv("SPREIDING_SMTP__PORT", str(server.port))
    monkeypatch.setenv("SPREIDING_SMTP__SECURITY", "none")
    monkeypatch.setenv("SPREIDING_SMTP__TIMEOUT", "5")
    monkeypatch.setenv("SPREIDING_SMTP__SENDER", "spreiding@minbzk.nl")
    monkeypatch.setenv("SPREIDING_BZK_EMAIL", "spreiding@minbzk.nl")
    for name in ("USER", "PASSWORD"):
        monkeypatch.delenv(f"SPREIDING_SMTP__{name}", raising=False)
    for name, value in extra.items():
        monkeypatch.setenv(f"SPREIDING_SMTP__{name.upper()}", value)
    get_settings.cache_clear()


@pytest.fixture
def mail_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[MailServer]:
    """A running SMTP server that the settings point at."""
    server = MailServer().start()
    point_settings_at(monkeypatch, server)
    yield server
    server.stop()
    get_settings.cache_clear()


@pytest.fixture
def mail_outage(monkeypatch: pytest.MonkeyPatch) -> Iterator[MailServer]:
    """The configured SMTP server is down (its port is closed); ``.start()`` brings it up."""
    server = MailServer()
    point_settings_at(monkeypatch, server)
    yield server
    server.stop()
    get_settings.cache_clear()
