"""One router module per resource of the JSON API (mounted under ``/api/v1``)."""
