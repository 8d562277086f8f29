"""What every component stands on: errors, settings, Dutch numbers and dates, templates and
the check of an output folder."""
