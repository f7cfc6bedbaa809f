"""Item-data roles shared by the console's models and the widget kit."""

from PySide6.QtCore import Qt

# The order (or technician) id behind a row, whatever column is asked.
ID_ROLE = Qt.ItemDataRole.UserRole
# The raw value a column sorts by (numbers and plain strings, never display text).
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
# True when the row breaks a dispatch rule (skills, region, capacity): shown red, still selectable.
WARNING_ROLE = Qt.ItemDataRole.UserRole + 2
# The raw state value of an order row, for delegates that colour by state.
STATE_ROLE = Qt.ItemDataRole.UserRole + 3
