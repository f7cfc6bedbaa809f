"""The manual dispatch desk's presenter."""
