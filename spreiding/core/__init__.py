"""What every component stands on: errors, settings, Dutch numbers and dates, templates."""
