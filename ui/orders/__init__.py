"""The order queue and the order detail: the table, its filters and summary, the action forms."""
