"""The console's queue model at 100,000 rows, against plain Python lists doing the same work.

Run: python -m bench.queue_model [--rows 100000] [--repeat 5] [--quick]

Measured through the real chain OrderStore -> QueueModel -> OrderFilterProxy, offscreen and
without a view: loading a snapshot (store.replace_all, a model reset), applying a batch of
1,000 feed events (half changed rows, half new orders), filtering the proxy by state and by
free text, and sorting by the customer column. The floor builds, updates, filters and sorts a
list of plain tuples holding the same rows in the same run. The model filters its own list (the
proxy only forwards); the line "a bare proxy with a precomputed per-row answer" shows what a
per-row filterAcceptsRow callback would cost before any filter logic, for comparison.
"""

from __future__ import annotations

import argparse
import bisect
import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from operator import attrgetter, itemgetter
from typing import Any

from bench.common import Timing, emit_json, print_table, ratio, time_calls
from bench.orders_data import OrderRows
from core.contracts import ChangeEvent, OrderRow
from core.demo.dataset import build
from core.orders.lifecycle import TERMINAL, OrderState

ROW_FIELDS = tuple(OrderRow.model_fields)
# The tuple floor: the wire fields, then what the model precomputes (timestamps, haystack).
CREATED, CHANGED, HAYSTACK = len(ROW_FIELDS), len(ROW_FIELDS) + 1, len(ROW_FIELDS) + 2
ID, STATE, CUSTOMER = (ROW_FIELDS.index(f) for f in ("id", "state", "customer_name"))
TEXT_NEEDLE = "王"  # the commonest surname: a dispatcher starting to type a name


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.queue_model", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--rows", type=int, default=100_000, help="open orders in the store")
    parser.add_argument("--batch", type=int, default=1000, help="feed events per upsert batch")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per operation")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke test)")
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.batch, args.repeat = 2000, 100, 3
    return args


def open_rows(n: int, now: datetime) -> list[OrderRow]:
    """n open queue rows as the server would send them (recent orders are mostly open)."""
    techs = build(orders=0).technicians
    names = {n + 1: t.name for n, t in enumerate(techs)}
    by_county: dict[str, list[int]] = {}
    for n_, t in enumerate(techs):
        by_county.setdefault(t.county_adcode, []).append(n_ + 1)
    rows: list[OrderRow] = []
    for chunk in OrderRows(by_county, seed=5, now=now, days=2).batches(int(n * 1.15) + 50, 5000):
        for d in chunk:
            if d["state"] in TERMINAL or len(rows) >= n:
                continue
            fields = {f: d[f] for f in ROW_FIELDS if f in d}
            fields["technician_name"] = names.get(d["technician_id"] or 0, "")
            rows.append(OrderRow.model_validate(fields))
    return rows


def feed_batch(rows: list[OrderRow], size: int, now: datetime) -> list[ChangeEvent]:
    """Half the batch: existing orders moving on; half: orders that just arrived."""
    events: list[ChangeEvent] = []
    step = max(len(rows) // max(size // 2, 1), 1)
    next_id = max(r.id for r in rows) + 1
    for n, row in enumerate(rows[::step][: size // 2]):
        moved = row.model_copy(update={"version": row.version + 1, "state": OrderState.FROZEN,
                                       "state_changed_at": now})
        events.append(_event(n + 1, moved, now))
    for n in range(size - len(events)):
        fresh = rows[n].model_copy(update={
            "id": next_id + n, "order_no": f"LM99999999{n:06d}", "version": 1,
            "state": OrderState.NEW, "created_at": now + timedelta(seconds=n),
            "state_changed_at": now + timedelta(seconds=n)})
        events.append(_event(len(events) + 1, fresh, now))
    return events


def _event(seq: int, row: OrderRow, now: datetime) -> ChangeEvent:
    return ChangeEvent(seq=seq, kind="bench", from_state=None, to_state=row.state, actor="bench",
                       actor_role="admin", reason="", at=now, version=row.version, data={},
                       order_id=row.id, order=row)


_fields = attrgetter(*ROW_FIELDS)


def as_tuple(row: OrderRow) -> tuple[Any, ...]:
    values = _fields(row)
    haystack = f"{row.order_no}\n{row.customer_name}\n{row.county_name}".lower()
    return (*values, row.created_at.timestamp(), row.state_changed_at.timestamp(), haystack)


def newest_first(t: tuple[Any, ...]) -> tuple[float, int]:
    return (-t[CREATED], -t[ID])


def floor_timings(rows: list[OrderRow], events: list[ChangeEvent],
                  repeat: int) -> dict[str, Timing]:
    """The same work on a list of tuples: build+sort, upsert, filter, sort by customer."""
    state: dict[str, list[tuple[Any, ...]]] = {}

    def load() -> None:
        built = [as_tuple(r) for r in rows]
        built.sort(key=newest_first)
        state["rows"] = built

    def upsert() -> None:
        table = state["rows"]
        where = {t[ID]: n for n, t in enumerate(table)}
        for ev in events:
            t = as_tuple(ev.order)
            at = where.get(t[ID])
            if at is not None:
                table[at] = t
            else:
                bisect.insort(table, t, key=newest_first)

    load_t = time_calls(load, repeat=repeat)
    upserts: list[float] = []
    for _ in range(repeat):
        load()
        upserts.extend(time_calls(upsert, repeat=1, min_repeat=1).samples)
    load()
    table = state["rows"]
    wanted = {OrderState.DISPATCHING}
    return {
        "load": load_t,
        "upsert": Timing(tuple(upserts)),
        "filter_state": time_calls(lambda: [t for t in table if t[STATE] in wanted],
                                   repeat=repeat),
        "filter_text": time_calls(lambda: [t for t in table if TEXT_NEEDLE in t[HAYSTACK]],
                                  repeat=repeat),
        "sort_customer": time_calls(lambda: sorted(table, key=itemgetter(CUSTOMER, ID)),
                                    repeat=repeat),
    }


def model_timings(rows: list[OrderRow], events: list[ChangeEvent],
                  repeat: int) -> tuple[dict[str, Timing], dict[str, int]]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from console.models.orders.filter import OrderFilter, OrderFilterProxy
    from console.models.orders.queue import QueueModel
    from console.models.orders.rows import Column
    from console.store import OrderStore

    # Kept referenced until the end: the models need a live application object.
    app = QApplication.instance() or QApplication([])
    store = OrderStore()
    model = QueueModel(store)
    proxy = OrderFilterProxy()
    proxy.setSourceModel(model)
    load = time_calls(lambda: store.replace_all(rows, 0), repeat=repeat)
    counts = {"model_rows": model.rowCount()}
    upserts: list[float] = []
    for _ in range(repeat):
        store.replace_all(rows, 0)
        upserts.extend(time_calls(lambda: store.apply_many(events), repeat=1,
                                  min_repeat=1).samples)
    store.replace_all(rows, 0)

    def filtered(change: Callable[[], None]) -> Timing:
        samples: list[float] = []
        for _ in range(repeat):
            proxy.set_order_filter(OrderFilter())
            samples.extend(time_calls(change, repeat=1, min_repeat=1).samples)
        return Timing(tuple(samples))

    by_state = filtered(lambda: proxy.set_states({OrderState.DISPATCHING.value}))
    counts["state_matches"] = proxy.rowCount()
    by_text = filtered(lambda: proxy.set_text(TEXT_NEEDLE))
    counts["text_matches"] = proxy.rowCount()
    proxy.set_order_filter(OrderFilter())
    timings = {"filter_qt_callback": qt_filter_floor(model, OrderState.DISPATCHING.value, repeat)}
    sorts: list[float] = []
    for _ in range(repeat):
        proxy.sort_newest_first()
        sorts.extend(time_calls(lambda: proxy.sort(Column.CUSTOMER, Qt.SortOrder.AscendingOrder),
                                repeat=1, min_repeat=1).samples)
    model.detach()
    assert app is not None
    timings.update({"load": load, "upsert": Timing(tuple(upserts)), "filter_state": by_state,
                    "filter_text": by_text, "sort_customer": Timing(tuple(sorts))})
    return timings, counts


def qt_filter_floor(model: Any, state: str, repeat: int) -> Timing:
    """The same state filter on a bare proxy whose per-row callback only looks up a list.

    This is what QSortFilterProxyModel plus one Python call per row costs before any filter
    logic: the floor for any filter written as filterAcceptsRow in Python.
    """
    from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

    class Precomputed(QSortFilterProxyModel):
        def __init__(self, keep: list[bool]) -> None:
            super().__init__()
            self.keep = keep

        def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
            return self.keep[row]

    everything = [True] * model.rowCount()
    matching = [e.state == state for e in model.entries()]
    bare = Precomputed(everything)
    bare.setSourceModel(model)

    def use(keep: list[bool]) -> None:
        bare.beginFilterChange()
        bare.keep = keep
        bare.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    samples: list[float] = []
    for _ in range(repeat):
        use(everything)
        samples.extend(time_calls(lambda: use(matching), repeat=1, min_repeat=1).samples)
    bare.setSourceModel(None)  # type: ignore[arg-type]  # None detaches, as in C++
    return Timing(tuple(samples))


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    # Before Qt is first imported (the model functions import it): no screen is needed.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    now = datetime.now(UTC)
    print(f"building {args.rows:,} rows and a batch of {args.batch:,} feed events ...", flush=True)
    rows = open_rows(args.rows, now)
    events = feed_batch(rows, args.batch, now)
    floor = floor_timings(rows, events, args.repeat)
    model, counts = model_timings(rows, events, args.repeat)
    qt_floor = model.pop("filter_qt_callback")
    phases = {}
    for name, timing in model.items():
        phases[name] = {"median_ms": timing.median, "p95_ms": timing.p95,
                        "floor_median_ms": floor[name].median, "floor_p95_ms": floor[name].p95,
                        "ratio": ratio(timing.median, floor[name].median)}
    print(f"\nQueueModel at {len(rows):,} rows (ms, median of {args.repeat}; "
          "floor = plain list of tuples)")
    print_table(["operation", "median", "p95", "floor median", "floor p95", "x median"],
                [[n, p["median_ms"], p["p95_ms"], p["floor_median_ms"], p["floor_p95_ms"],
                  p["ratio"]] for n, p in phases.items()])
    print(f"\nrows in model {counts['model_rows']:,}; state filter keeps "
          f"{counts['state_matches']:,}, text filter '{TEXT_NEEDLE}' keeps "
          f"{counts['text_matches']:,}")
    print(f"a bare proxy with a precomputed per-row answer needs {qt_floor.median:.2f} ms "
          "for the state filter (Qt's own cost of a Python filterAcceptsRow)")
    figures = {"bench": "queue_model", "rows": len(rows), "batch": len(events),
               "repeat": args.repeat, **counts, "phases": phases,
               "filter_qt_callback_median_ms": qt_floor.median}
    emit_json(figures)
    return figures


if __name__ == "__main__":
    main()
