"""Order routes: the queue and order creation, lifecycle actions, details, the change feed."""
