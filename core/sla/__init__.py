"""Time limits: what each deadline of an order means, computed in one place (pure Python)."""
