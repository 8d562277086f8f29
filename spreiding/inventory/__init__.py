"""The annual inventory: delivery files, deliveries in the store, the report to parliament."""
