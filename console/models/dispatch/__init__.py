"""Qt models of the dispatch desk: orders needing a person, and the ranked candidates."""
