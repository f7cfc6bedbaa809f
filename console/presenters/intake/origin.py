"""Fetches an order's origin (GET /v1/orders/{id}/origin) whenever the detail shows an order."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject

from console.language import pick_fields
from console.presenters.messages import MessageRoute
from console.presenters.orders.detail import OrderPresenter
from console.presenters.tasks import spawn
from core.contracts import OrderDetail
from core.contracts.intake import OrderOrigin
from ui.orders.detail_panel import DetailPanel

translate = QCoreApplication.translate

FetchOrigin = Callable[[int], Awaitable[OrderOrigin | None]]


# An origin's texts: all the backend's (no person's words among them).
ORIGIN_TEXTS = frozenset({"note", "split_note", "classify_note", "reason"})


def in_language(origin: OrderOrigin) -> OrderOrigin:
    """The backend's notes (split, placement, classification) and reasons (dropped lines,
    audit flags) in the person's language."""
    return pick_fields(origin, ORIGIN_TEXTS)


class OriginClient(Protocol):
    async def order_origin(self, order_id: int) -> OrderOrigin | None: ...


class OriginPresenter(QObject):
    """Connect `order_shown` to OrderPresenter.orderShown; the panel's origin section follows.

    An order's origin changes only when the centre merges into it or updates it, which bumps
    the order's version: the same version shown again (a reload) fetches nothing.
    """

    def __init__(self, fetch: FetchOrigin, panel: DetailPanel, route: MessageRoute,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._panel = panel
        self._route = route
        self._loaded: tuple[int, int] | None = None
        self._task: asyncio.Task[Any] | None = None
        self.fetches = 0

    @classmethod
    def follow(cls, client: OriginClient, orders: OrderPresenter, panel: DetailPanel,
               route: MessageRoute) -> OriginPresenter:
        """Follow what `orders` shows."""
        presenter = cls(client.order_origin, panel, route, parent=orders)
        orders.orderShown.connect(presenter.order_shown)
        return presenter

    def order_shown(self, detail: OrderDetail) -> None:
        key = (detail.id, detail.version)
        if key == self._loaded:
            return
        self._loaded = key
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = spawn(self._load(key), self._route,
                           translate("OriginPresenter", "Loading the order's origin"))

    async def _load(self, key: tuple[int, int]) -> None:
        order_id = key[0]
        self.fetches += 1
        try:
            origin = await self._fetch(order_id)
        except Exception:
            if self._loaded == key:
                self._loaded = None  # the next showing of this order tries again
            raise
        if origin is not None:
            origin = in_language(origin)
        # An answer for an order no longer shown is dropped by the panel.
        self._panel.show_origin(order_id, origin)

    def busy(self) -> bool:
        return self._task is not None and not self._task.done()
