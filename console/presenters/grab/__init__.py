"""The grab pool monitor's presenter."""
