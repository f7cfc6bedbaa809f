"""Dispatch routes: the desk, policies, day routes, and the background dispatcher."""
