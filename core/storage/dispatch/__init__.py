"""Dispatch in storage: the round's snapshot and lock, policies, refusals, desk reads, routes."""
