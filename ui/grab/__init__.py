"""The grab pool monitor's view."""
