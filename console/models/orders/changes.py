"""What a batch of store changes does to the queue: which rows change in place, which leave,
which entries arrive. Decided here on the sorted lists alone; the model only signals it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from console.models.orders.ordered import AllOrders, Key, locate
from console.models.orders.rows import Entry
from core.contracts import OrderRow


@dataclass
class RowChanges:
    """Rows (places among the shown entries, before any removal) and entries to insert."""

    changed: list[int] = field(default_factory=list)  # the same place, new contents
    leaving: list[int] = field(default_factory=list)
    arriving: list[Entry] = field(default_factory=list)


class Sorted:
    """Every order and the shown ones (the filter's matches), both sorted by `key`."""

    def __init__(self, every: AllOrders, shown: list[Entry], key: Key, descending: bool,
                 accepts: Callable[[Entry], bool]) -> None:
        self.every, self.shown, self.key = every, shown, key
        self.descending, self.accepts = descending, accepts

    def row_of(self, entry: Entry) -> int:
        return locate(self.shown, entry, self.key, self.descending)

    def upsert(self, rows: Iterable[OrderRow]) -> RowChanges:
        """Put the rows into every order; what that does to the shown ones."""
        every, key, accepts, descending = self.every, self.key, self.accepts, self.descending
        changes = RowChanges()
        # The last of several changes of one order in a batch is the one that counts.
        for row in {r.id: r for r in rows}.values():
            old = every.get(row.id)
            entry = Entry(row)
            # Rows are found by their sort key, so before anything about the order changes.
            shown = self.row_of(old) if old is not None and accepts(old) else None
            if old is not None and key(old) == key(entry):
                old.set_row(row)  # in place: both lists hold it, at the same places
                entry = old
            else:
                if old is not None:
                    every.take(old, key, descending)
                every.put(entry, key, descending)
            if accepts(entry):
                if shown is not None and entry is old:
                    changes.changed.append(shown)
                    continue
                changes.arriving.append(entry)
            if shown is not None:
                changes.leaving.append(shown)
        return changes

    def remove(self, order_ids: Iterable[int]) -> list[int]:
        """Take these orders out of every order; the shown rows that go with them."""
        rows = []
        for order_id in set(order_ids):
            entry = self.every.get(order_id)
            if entry is not None:
                if self.accepts(entry):
                    rows.append(self.row_of(entry))
                self.every.take(entry, self.key, self.descending)
        return rows
