"""A log handler that keeps every line, so a test can look for a secret in what was logged."""

from __future__ import annotations

import logging


class LogLines(logging.Handler):
    """Keeps every formatted log record."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
