"""Queue rows as the table keeps them: the wire row plus what sorting and filtering need."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QCoreApplication

from console.language import pick
from core.contracts import OrderRow
from core.orders.attention import needs_person
from core.orders.lifecycle import OrderState
from ui import labels
from ui.formatting import duration

# Lifecycle position: sorting by state follows the work's flow, not the alphabet.
STATE_RANK = {state.value: rank for rank, state in enumerate(OrderState)}


class Column(IntEnum):
    ORDER_NO = 0
    PLATFORM = 1
    CUSTOMER = 2
    COUNTY = 3
    SERVICE_TYPE = 4
    STATE = 5
    TECHNICIAN = 6
    TIME_IN_STATE = 7
    NEEDS_PERSON = 8  # why only a person can move the order on; empty for the others


DEFAULT_SORT = -1  # newest first (created_at descending): no visible column carries it


class Entry:
    """One order in the table; the derived fields are computed once per upsert, not per paint.

    An update whose sort key is unchanged rewrites the entry in place (`set_row`), so every list
    holding it (all orders, the filtered rows) sees the new row without being searched.
    """

    __slots__ = ("changed", "county", "created", "haystack", "id", "needs_person", "row",
                 "service_type", "state", "why")

    def __init__(self, row: OrderRow) -> None:
        self.set_row(row)

    def set_row(self, row: OrderRow) -> None:
        self.row = row
        self.id = row.id
        # StrEnum's str() is its value: the raw wire string.
        self.state = str(row.state)
        self.service_type = "" if row.service_type is None else str(row.service_type)
        self.county = row.county_adcode or ""
        self.created = row.created_at.timestamp()
        self.changed = row.state_changed_at.timestamp()
        # Free-text search runs over these, already lower-cased, so filtering is one `in`.
        self.haystack = f"{row.order_no}\n{row.customer_name}\n{row.county_name}".lower()
        mode = None if row.dispatch_mode is None else str(row.dispatch_mode)
        self.needs_person = needs_person(self.state, mode)
        # Why it waits: the dispatcher's or the urge round's "中文 (English)" note in the
        # person's language (a person's own note has no English part and shows as written).
        self.why = pick(row.dispatch_note) if self.needs_person else ""


def sort_value(entry: Entry, column: int) -> Any:
    """The raw value a column sorts by (also served as the model's SORT_ROLE)."""
    row = entry.row
    if column == Column.ORDER_NO:
        return row.order_no
    if column == Column.PLATFORM:
        return row.platform
    if column == Column.CUSTOMER:
        return row.customer_name
    if column == Column.COUNTY:
        return row.county_name
    if column == Column.SERVICE_TYPE:
        return entry.service_type
    if column == Column.STATE:
        return STATE_RANK.get(entry.state, len(STATE_RANK))
    if column == Column.TECHNICIAN:
        return row.technician_name
    if column == Column.TIME_IN_STATE:
        # Longer in the state sorts later in ascending order: the older change, the larger.
        return -entry.changed
    if column == Column.NEEDS_PERSON:
        # Ascending: the orders that need a person first, grouped by why.
        return (not entry.needs_person, entry.why)
    return entry.created


def key_function(
    column: int, priority: frozenset[str] = frozenset()
) -> Callable[[Entry], tuple[Any, ...]]:
    """Sort key with the order id as tie-breaker, so the order is total and bisectable.

    In the default order (newest first, descending) orders in a priority state come first, and
    among them the ones that need a person.
    """
    if column == DEFAULT_SORT and priority:

        def first(entry: Entry) -> tuple[Any, ...]:
            return (entry.state in priority, entry.needs_person, entry.created, entry.id)

        return first
    if column == DEFAULT_SORT:

        # The commonest order, and the one every feed event is placed in: kept to one call.
        def newest(entry: Entry) -> tuple[Any, ...]:
            return (entry.created, entry.id)

        return newest

    def key(entry: Entry) -> tuple[Any, ...]:
        return (sort_value(entry, column), entry.id)

    return key


def insert_position(
    entries: list[Entry], entry: Entry, key: Callable[[Entry], Any], descending: bool
) -> int:
    """Where the entry belongs in a list already sorted by key (after its equals)."""
    target = key(entry)
    lo, hi = 0, len(entries)
    while lo < hi:
        mid = (lo + hi) // 2
        probe = key(entries[mid])
        before = target < probe if not descending else target > probe
        if before:
            hi = mid
        else:
            lo = mid + 1
    return lo


def position_of(
    entries: list[Entry], target: Any, key: Callable[[Entry], Any], descending: bool
) -> int:
    """Where the first entry with this key is (or would go) in a list sorted by key."""
    lo, hi = 0, len(entries)
    while lo < hi:
        mid = (lo + hi) // 2
        probe = key(entries[mid])
        after = probe < target if not descending else probe > target
        if after:
            lo = mid + 1
        else:
            hi = mid
    return lo


def contiguous_ranges(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as (first, last) runs, so one signal covers each run."""
    ranges: list[tuple[int, int]] = []
    for row in sorted(rows):
        if ranges and row == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], row)
        else:
            ranges.append((row, row))
    return ranges


def column_titles() -> list[str]:
    translate = QCoreApplication.translate
    return [
        translate("QueueModel", "Order no."),
        translate("QueueModel", "Platform"),
        translate("QueueModel", "Customer"),
        translate("QueueModel", "County"),
        translate("QueueModel", "Service"),
        translate("QueueModel", "State"),
        translate("QueueModel", "Technician"),
        translate("QueueModel", "Time in state"),
        translate("QueueModel", "Needs a person"),
    ]


@dataclass
class LabelTables:
    """The translated label tables, read once per language rather than once per cell."""

    states: dict[str, str] = field(default_factory=labels.state_labels)
    services: dict[str, str] = field(default_factory=labels.service_type_labels)
    platforms: dict[str, str] = field(default_factory=labels.platform_labels)


def display_text(
    entry: Entry, column: int, tables: LabelTables, clock: Callable[[], datetime]
) -> str:
    row = entry.row
    if column == Column.ORDER_NO:
        return row.order_no
    if column == Column.PLATFORM:
        return labels.label(tables.platforms, row.platform)
    if column == Column.CUSTOMER:
        return row.customer_name
    if column == Column.COUNTY:
        return row.county_name
    if column == Column.SERVICE_TYPE:
        return labels.label(tables.services, entry.service_type or None)
    if column == Column.STATE:
        return labels.label(tables.states, entry.state)
    if column == Column.TECHNICIAN:
        return row.technician_name
    if column == Column.TIME_IN_STATE:
        return duration(clock().timestamp() - entry.changed)
    if column == Column.NEEDS_PERSON and entry.needs_person:
        return entry.why or QCoreApplication.translate("QueueModel", "Needs a person")
    return ""
