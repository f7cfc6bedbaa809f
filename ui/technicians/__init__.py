"""The technicians dock's table and the settings dialog."""
