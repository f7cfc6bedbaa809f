"""Dispatch rules: assignment, grab pool, ranking, escalation, day routes (pure Python)."""
