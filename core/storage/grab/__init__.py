"""The grab pool in storage: offers, listings, the monitor, claimants for the eligibility rule."""
