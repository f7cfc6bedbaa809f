"""Qt item models adapting the console's pure-Python state."""

from console.models.order_filter import OrderFilter, OrderFilterProxy
from console.models.queue_model import QueueModel
from console.models.queue_rows import DEFAULT_SORT, Column

__all__ = ["DEFAULT_SORT", "Column", "OrderFilter", "OrderFilterProxy", "QueueModel"]
