"""Presenters of field execution's desks (technician risk, ...)."""
