"""Demo payloads in each platform's documented format: render(orders) and signed(body, ...)."""
