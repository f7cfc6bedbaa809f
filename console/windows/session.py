"""One signed-in console: client, local store, sync engine and the role's workspace together."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from console.presenters.messages import MessageRoute
from console.presenters.tasks import spawn
from console.store import OrderStore
from console.sync import ConnectionState, SyncEngine
from console.windows.language_menu import LanguageMenu
from console.windows.map_feed import default_map
from console.windows.workspace import SettingsFactory, Workspace, open_settings
from core.contracts import TokenOut

log = logging.getLogger(__name__)


def data_dir() -> Path:
    return Path(os.environ.get("LASTMILE_DATA_DIR") or platformdirs.user_data_dir("lastmile"))


def store_path(server_url: str, username: str) -> Path:
    """One saved queue per server and user, so a restart shows the queue before it syncs."""
    key = hashlib.sha256(f"{server_url.rstrip('/')}|{username}".encode()).hexdigest()[:16]
    return data_dir() / "stores" / f"{key}.json"


class ConsoleSession:
    """Built by `open()`; `closed` completes when the user closes the window or signs out
    (then `signed_out` is True and the server has revoked the token)."""

    def __init__(self, client: Any, token: TokenOut, store: OrderStore, workspace: Workspace,
                 sync: SyncEngine, *, settings_factory: SettingsFactory = open_settings) -> None:
        self.client = client
        self.token = token
        self.store = store
        self.workspace = workspace
        self.sync = sync
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._sync_task: asyncio.Task[None] | None = None
        self.signed_out = False
        workspace.window.closing.connect(self._window_closing)
        workspace.signOutRequested.connect(self._sign_out_requested)
        self.language_menu = LanguageMenu(workspace.window.menuBar(), token.user.username,
                                          settings_factory, workspace.route,
                                          before=workspace.sign_out_action)

    @classmethod
    async def open(
        cls,
        client: Any,
        token: TokenOut,
        server_url: str,
        *,
        settings_factory: SettingsFactory = open_settings,
        map_factory: Callable[[], QWidget] = default_map,
        route: MessageRoute | None = None,
    ) -> ConsoleSession:
        path = store_path(server_url, token.user.username)
        store = await OrderStore.load(path)
        workspace = Workspace(
            str(token.user.role), client, store, user_name=token.user.display_name,
            route=route, settings_factory=settings_factory, map_factory=map_factory,
        )
        sync = SyncEngine(client, store, on_state=workspace.set_connection, state_path=path)
        session = cls(client, token, store, workspace, sync, settings_factory=settings_factory)
        session.start()
        return session

    def start(self) -> None:
        self.workspace.set_connection(ConnectionState.CONNECTING.value, "")
        self._sync_task = asyncio.ensure_future(self.sync.run())
        self.workspace.start_technicians()

    def is_live(self) -> bool:
        return self.sync.state is ConnectionState.LIVE

    def _sign_out_requested(self) -> None:
        spawn(self.sign_out(), self.workspace.route,
              QCoreApplication.translate("ConsoleSession", "Signing out"))

    async def sign_out(self) -> None:
        """Revoke the token on the server, then end the session (the window closes)."""
        self.sync.stop()  # the change stream must not reconnect with a revoked token
        try:
            await self.client.logout()
        except Exception:
            # Offline: the token is forgotten here and lapses on the server within 12 hours.
            log.warning("sign-out could not reach the server", exc_info=True)
        self.signed_out = True
        self._window_closing()

    def _window_closing(self) -> None:
        if not self.closed.done():
            self.closed.set_result(None)

    async def close(self) -> None:
        """Stop syncing (the store is saved), close the window, end the HTTP client."""
        self.sync.stop()
        if self._sync_task is not None:
            try:
                await self._sync_task
            except Exception:
                log.exception("sync engine ended with an error")
        self.workspace.close()  # its window's closing signal completes `closed`
        self._window_closing()
        await self.client.aclose()
