"""The technicians' day routes."""
