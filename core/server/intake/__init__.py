"""Intake routes: webhooks, file import, dead letters, reviews and stats, settings, the poller."""
