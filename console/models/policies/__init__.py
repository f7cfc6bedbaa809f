"""Qt models of the dispatch policies: the region tree and the log of changes."""
