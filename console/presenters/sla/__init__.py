"""Presenters of SLA's docks: the time limits editor."""
