"""Orders in storage: the repository, queue and detail queries, order numbers, the feed."""
