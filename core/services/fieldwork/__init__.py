"""Field execution's use cases: appointments, check-in, verification, reviews and follow-ups,
technician risk (the rules are core.fieldwork's, the tables core.storage.fieldwork's)."""
