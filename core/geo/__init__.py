"""Geography: administrative regions and distances (pure Python)."""
