"""What every benchmark shares: percentiles, timing loops, the summary table and the JSON line."""

from __future__ import annotations

import json
import math
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), nearest-rank: a value that was actually measured."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Timing:
    """Samples in milliseconds."""

    samples: tuple[float, ...]

    @property
    def p50(self) -> float:
        return percentile(self.samples, 50)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


def time_calls(
    call: Callable[[], object], *, repeat: int, budget_s: float = 10.0, min_repeat: int = 5
) -> Timing:
    """Time `call` up to `repeat` times, stopping early (after min_repeat) past the budget."""
    samples: list[float] = []
    started = time.perf_counter()
    for n in range(repeat):
        t0 = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t0) * 1000)
        if n + 1 >= min_repeat and time.perf_counter() - started > budget_s:
            break
    return Timing(tuple(samples))


def ratio(value: float, floor: float) -> float:
    # A floor under a microsecond is noise; clamp so the ratio stays finite and readable.
    return value / max(floor, 0.001)


def print_table(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], out: TextIO = sys.stdout
) -> None:
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        first = row[0].ljust(widths[0])
        rest = "  ".join(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True))
        print(f"{first}  {rest}", file=out)
        if n == 0:
            print("-" * (sum(widths) + 2 * (len(widths) - 1)), file=out)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def emit_json(figures: dict[str, Any], out: TextIO = sys.stdout) -> None:
    """The last line of every benchmark: its figures as one JSON object."""
    print(json.dumps(round_figures(figures), ensure_ascii=False, separators=(",", ":")),
          file=out, flush=True)


def round_figures(data: Any, digits: int = 3) -> Any:
    """Floats rounded for the JSON line (sub-microsecond digits are noise)."""
    if isinstance(data, float):
        return round(data, digits)
    if isinstance(data, dict):
        return {k: round_figures(v, digits) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [round_figures(v, digits) for v in data]
    return data


class Stopwatch:
    """Wall time of a `with` block in seconds, for one-off phases (loading, seeding)."""

    def __enter__(self) -> Stopwatch:
        self.start = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.seconds = time.perf_counter() - self.start
