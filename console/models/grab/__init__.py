"""Qt model of the grab pool monitor."""
