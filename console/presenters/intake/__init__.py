"""The Intake workspace's presenters: its lists, actions, file import, origin and settings."""
