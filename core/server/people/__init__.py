"""People routes: technicians and candidates, technician settings, desk users."""
