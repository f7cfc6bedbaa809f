"""Widgets of the manual dispatch desk: its view, tables and the assign dialog."""
