"""The web service: a JSON API under ``/api/v1`` on the same service layer as the CLI.

:mod:`.app` builds the ASGI application, :mod:`.deps` holds the dependencies (the request's
unit of work and its principal), :mod:`.problems` turns domain errors into RFC 9457 problem
details, and :mod:`.api` has one router module per resource. Routes stay thin: they check
who may call them and call the functions the CLI calls.
"""
