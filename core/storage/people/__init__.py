"""People in storage: users, tokens and technicians, and technician settings."""
