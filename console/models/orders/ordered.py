"""Every order of the queue, sorted by the model's current key, with a lookup by id."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from console.models.orders.rows import Entry, insert_position, position_of

Key = Callable[[Entry], Any]


def locate(entries: list[Entry], entry: Entry, key: Key, descending: bool) -> int:
    """The position of an entry in a list sorted by key: a binary search, no index to keep."""
    at = position_of(entries, key(entry), key, descending)
    assert entries[at] is entry, "a sorted list lost an entry"
    return at


def insertion_blocks(entries: list[Entry], new: list[Entry], key: Key,
                     descending: bool) -> list[tuple[int, list[Entry]]]:
    """Where new entries go in a sorted list, as (position in the list before insertion, the
    entries going there in order), lowest position first: one insert signal per block."""
    new.sort(key=key, reverse=descending)
    blocks: list[tuple[int, list[Entry]]] = []
    for entry in new:
        at = insert_position(entries, entry, key, descending)
        if blocks and blocks[-1][0] == at:
            blocks[-1][1].append(entry)
        else:
            blocks.append((at, [entry]))
    return blocks


class AllOrders:
    """The sorted list the model filters its rows from; entries are shared with the rows."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self._by_id: dict[int, Entry] = {}

    def replace(self, entries: Iterable[Entry], key: Key, descending: bool) -> None:
        self.entries = sorted(entries, key=key, reverse=descending)
        self._by_id = {e.id: e for e in self.entries}

    def resort(self, key: Key, descending: bool) -> None:
        self.entries.sort(key=key, reverse=descending)

    def get(self, order_id: int) -> Entry | None:
        return self._by_id.get(order_id)

    def put(self, entry: Entry, key: Key, descending: bool) -> None:
        self.entries.insert(insert_position(self.entries, entry, key, descending), entry)
        self._by_id[entry.id] = entry

    def take(self, entry: Entry, key: Key, descending: bool) -> None:
        del self.entries[locate(self.entries, entry, key, descending)]
        del self._by_id[entry.id]
