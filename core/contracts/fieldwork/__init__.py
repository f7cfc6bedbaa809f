"""Wire schemas of field execution, a module per concern (checkin, codes, appointments, ...)."""
