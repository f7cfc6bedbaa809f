"""The simulation's agenda: what happens next, in time order (ties in the order scheduled)."""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(order=True, frozen=True)
class Event:
    at: datetime
    seq: int
    kind: str = field(compare=False)
    subject: Any = field(default=None, compare=False)


class Agenda:
    """A priority queue of events; equal times keep the order they were put in, so a seed
    replays the same day."""

    def __init__(self) -> None:
        self._heap: list[Event] = []
        self._seq = itertools.count()

    def put(self, at: datetime, kind: str, subject: Any = None) -> None:
        heapq.heappush(self._heap, Event(at, next(self._seq), kind, subject))

    def pop(self) -> Event | None:
        return heapq.heappop(self._heap) if self._heap else None

    def __len__(self) -> int:
        return len(self._heap)
