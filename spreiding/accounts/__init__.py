"""Accounts: who may sign in, with which role, their API tokens and web sessions.

Below the web service and the CLI, above the store: :mod:`.store` adds and changes accounts
and tokens, :mod:`.sessions` signs in and throttles, :mod:`.passwords` holds the password
rules and Argon2 hashing. The web service turns an account into the
:class:`~spreiding.core.principal.Principal` that the case service takes.
"""
