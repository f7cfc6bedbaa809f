"""Widgets of the Intake workspace: its view, payload viewer, import dialog, settings forms."""
