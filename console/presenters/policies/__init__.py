"""Region dispatch policies: viewing and editing them."""
