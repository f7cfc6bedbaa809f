"""The order queue: the store's open orders as a table, its columns, and the filter over it."""

from console.models.orders.filter import OrderFilterProxy
from console.models.orders.matching import OrderFilter
from console.models.orders.queue import QueueModel
from console.models.orders.rows import DEFAULT_SORT, Column

__all__ = ["DEFAULT_SORT", "Column", "OrderFilter", "OrderFilterProxy", "QueueModel"]
