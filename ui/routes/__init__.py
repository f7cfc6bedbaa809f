"""A technician's day route as a timeline."""
