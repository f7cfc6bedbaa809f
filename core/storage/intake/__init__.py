"""Intake in storage: messages, platform links and times, purchases, client policies, stats."""
