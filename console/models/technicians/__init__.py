"""Qt model of the technicians dock."""
