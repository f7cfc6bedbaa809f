"""Qt models of the Intake workspace: arrivals, coverage gaps, reviews, messages, import preview,
client policies and the blacklist."""
