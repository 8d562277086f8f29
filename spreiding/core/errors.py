"""The domain errors of spreiding: one flat hierarchy, one class per kind of refusal.

Every error carries a message in plain words that says what is wrong and what a user must
fix. The command line turns any :class:`SpreidingError` into one line on stderr and exit
code 2; nothing below it ever prints a traceback for a user's mistake.
"""


class SpreidingError(Exception):
    """Base class: a refusal that a user can act on."""


class ConfigurationError(SpreidingError):
    """A setting (``SPREIDING_*`` variable) has a value the system cannot use."""


class NotFound(SpreidingError):
    """A named thing (organisation, municipality, case, ...) does not exist."""


class InvalidInput(SpreidingError):
    """A value given on the command line or in a request is malformed or out of range."""


class InvalidSubmission(SpreidingError):
    """A delivered file cannot be loaded; the message names file, row and column."""


class TransitionRefused(SpreidingError):
    """A case event is not allowed now: wrong state, role, guard or missing data."""


class ConflictError(SpreidingError):
    """Someone else changed the same record first; reload and try again."""


class IntegrityError(SpreidingError):
    """Stored data fails a consistency check (for example a broken audit hash chain)."""


class DatabaseBusy(ConflictError):
    """Another process holds the database's write lock for longer than we wait; retry later."""
