"""Field execution's views (technician risk, ...)."""
