"""The technicians' dispatch settings: the list and its edits."""
