"""Demo data and a simulator that keeps a demo backend busy through its HTTP API."""
