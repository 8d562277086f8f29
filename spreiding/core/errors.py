"""The domain errors of spreiding: one flat hierarchy, one class per kind of refusal.

Every error carries a message in plain words that says what is wrong and what a user must
fix. The command line turns any :class:`SpreidingError` into one line on stderr and exit
code 2; nothing below it ever prints a traceback for a user's mistake.

A refused file (:class:`InvalidSubmission`) also carries every :class:`Problem` found in it,
each naming file, row, column and value, so that a page, the API and the command line can list
them all; its ``str()`` stays one line: the first problem and how many others there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spreiding.core.dutch import number

# More problems than this in one file are counted, not listed: the file is the wrong one.
MAX_PROBLEMS = 200


class SpreidingError(Exception):
    """Base class: a refusal that a user can act on."""


class ConfigurationError(SpreidingError):
    """A setting (``SPREIDING_*`` variable) has a value the system cannot use."""


class NotFound(SpreidingError):
    """A named thing (organisation, municipality, case, ...) does not exist."""


class InvalidInput(SpreidingError):
    """A value given on the command line or in a request is malformed or out of range."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One error in a delivered file: where it is (file, row, column), the value and why."""

    file: str  # the file's name (and sheet, when the workbook has more than one)
    row: int | None  # the row a user sees in the file, 1-based; None for the file as a whole
    column: str  # the column's header name, or its letter or number; "" for a whole row
    value: str  # the cell's text as written; "" when empty or not about one cell
    message: str  # what is wrong and what to fix, in Dutch
    cell: str = ""  # the spreadsheet cell (C5) when the file is a workbook

    def __str__(self) -> str:
        """The problem as one line: ``bestand.csv, regel 5, kolom 'fte': ...``."""
        where = [self.file] if self.file else []
        if self.row is not None:
            where.append(f"regel {self.row}")
        if self.column:
            column = self.column if _is_label(self.column) else repr(self.column)
            where.append(f"kolom {column}" + (f" (cel {self.cell})" if self.cell else ""))
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def to_json(self) -> dict[str, object]:
        """The stable JSON form (the ``errors`` of a refused upload)."""
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "cell": self.cell or None,
            "value": self.value,
            "message": self.message,
        }


def _is_label(column: str) -> bool:
    """Whether ``column`` is a spreadsheet letter or a number (shown unquoted), not a name."""
    return column.isdigit() or (column.isascii() and column.isalpha() and column.isupper())


class InvalidSubmission(SpreidingError):
    """A delivered file cannot be loaded: every problem found, each naming row and column.

    Raise it with one message (``InvalidSubmission("...")``) for a file that cannot be read
    at all, or with the problems found (``InvalidSubmission(problems=...)``); ``more`` counts
    the problems beyond :data:`MAX_PROBLEMS` that were found but not kept.
    """

    def __init__(
        self, message: str | None = None, *, problems: Sequence[Problem] = (), more: int = 0
    ) -> None:
        if not problems:
            problems = (Problem("", None, "", "", message or "het bestand is geweigerd"),)
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.more = more
        self.total = len(self.problems) + more
        others = self.total - 1
        line = message or str(self.problems[0])
        if others:
            line += f" (en {number(others)} {'andere fout' if others == 1 else 'andere fouten'})"
        super().__init__(line)

    @classmethod
    def at(cls, file: str, row: int, message: str) -> InvalidSubmission:
        """The refusal of a whole file for what was found in ``row``: ``file, regel 3: ...``."""
        return cls(problems=(Problem(file, row, "", "", message),))


class Problems:
    """The problems found so far in one file: the first :data:`MAX_PROBLEMS` kept, the rest counted.

    A reader adds what each row breaks and raises :meth:`refusal` at the end when any was found.
    """

    def __init__(self) -> None:
        self.found: list[Problem] = []
        self.more = 0

    def __len__(self) -> int:
        return len(self.found) + self.more

    def add(self, refused: InvalidSubmission | Problem) -> None:
        """Add a problem, or every problem of a refusal."""
        found = (refused,) if isinstance(refused, Problem) else refused.problems
        for problem in found:
            if len(self.found) < MAX_PROBLEMS:
                self.found.append(problem)
            else:
                self.more += 1
        if isinstance(refused, InvalidSubmission):
            self.more += refused.more

    def refusal(self) -> InvalidSubmission:
        """The refusal of the file, with every problem found (there must be one)."""
        return InvalidSubmission(problems=self.found, more=self.more)


class TransitionRefused(SpreidingError):
    """A case event is not allowed now: wrong state, role, guard or missing data."""


class ConflictError(SpreidingError):
    """Someone else changed the same record first; reload and try again."""


class IntegrityError(SpreidingError):
    """Stored data fails a consistency check (for example a broken audit hash chain)."""


class DatabaseBusy(ConflictError):
    """Another process holds the database's write lock for longer than we wait; retry later."""
