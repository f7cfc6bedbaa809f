"""SLA widgets: the time limits editor."""
