"""Widgets of the region dispatch policies: the view, the form and its fields."""
