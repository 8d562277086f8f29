"""The spreiding web service with alerts configured: uvicorn on a free loopback port.

For the hook's tests (``tests/web/test_hooks.py``) and the automations' (``test_alerts.py``):
the service runs in a thread of the test process, on the store and settings given, and keeps
every log line it writes so tests can look for the secret in them.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import uvicorn

from spreiding.core.settings import Settings
from spreiding.web.app import create_app
from tests.loglines import LogLines
from tests.mailserver import free_port

SECRET = "een-geheim-van-minstens-32-tekens-lang-0123456789"


@dataclass
class Service:
    """A running web service: its base URL and its log lines."""

    url: str
    logs: LogLines


@contextlib.contextmanager
def web_service(settings: Settings, port: int | None = None) -> Iterator[Service]:
    """Serve ``create_app(settings)`` on ``port`` (a free one by default) until the end."""
    port = port or free_port()
    logs = LogLines()
    names = ("", "uvicorn", "uvicorn.access", "uvicorn.error")
    watched = [logging.getLogger(name) for name in names]
    for logger in watched:
        logger.addHandler(logs)
    root = logging.getLogger()
    previous = root.level
    root.setLevel(logging.INFO)
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_config=None, lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-hooks", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web service did not start")
        time.sleep(0.02)
    try:
        yield Service(f"http://127.0.0.1:{port}", logs)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        root.setLevel(previous)
        for logger in watched:
            logger.removeHandler(logs)
