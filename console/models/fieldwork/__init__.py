"""Qt models of field execution's desks (technician risk, ...)."""
