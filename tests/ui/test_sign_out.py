"""Signing out of the console: the 会话 menu's action revokes the token and ends the session."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from ui_fakes import T0, FakeClient, FakeStore, make_detail, make_row

from console.windows import Workspace
from console.windows.session import ConsoleSession
from core.contracts import TokenOut, UserOut
from core.orders.lifecycle import Role

Factory = Callable[[], QSettings]


class SigningOutClient(FakeClient):
    def __init__(self, fail: Exception | None = None) -> None:
        super().__init__(make_detail(1))
        self.logouts = 0
        self.closed = False
        self._fail = fail

    async def logout(self) -> None:
        self.logouts += 1
        if self._fail is not None:
            raise self._fail

    async def aclose(self) -> None:
        self.closed = True


class StoppedSync:
    """Stands in for the sync engine: only whether it was told to stop matters here."""

    stopped = False

    def stop(self) -> None:
        self.stopped = True


def _workspace(qtbot: QtBot, client: FakeClient, settings_factory: Factory) -> Workspace:
    store = FakeStore(rows={1: make_row(1)})
    workspace = Workspace("agent", client, store, settings_factory=settings_factory,
                          map_factory=lambda: QLabel("map"))
    qtbot.addWidget(workspace.window)
    return workspace


def _session(client: FakeClient, workspace: Workspace) -> tuple[ConsoleSession, StoppedSync]:
    token = TokenOut(access_token="t", expires_at=T0 + timedelta(hours=12),
                     user=UserOut(username="agent", display_name="坐席", role=Role.AGENT))
    sync = StoppedSync()
    return ConsoleSession(client, token, workspace._store, workspace, sync), sync  # type: ignore[arg-type]


def test_the_session_menu_offers_sign_out(qtbot: QtBot, settings_factory: Factory) -> None:
    workspace = _workspace(qtbot, SigningOutClient(), settings_factory)

    with qtbot.waitSignal(workspace.signOutRequested, timeout=1000):
        workspace.sign_out_action.trigger()

    assert workspace.sign_out_action.text() == "Sign out"


async def test_signing_out_revokes_the_token_and_ends_the_session(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    client = SigningOutClient()
    workspace = _workspace(qtbot, client, settings_factory)
    session, sync = _session(client, workspace)

    workspace.sign_out_action.trigger()
    await session.closed

    assert client.logouts == 1 and session.signed_out and sync.stopped


async def test_signing_out_while_offline_still_ends_the_session(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    client = SigningOutClient(fail=OSError("no route to host"))
    workspace = _workspace(qtbot, client, settings_factory)
    session, _ = _session(client, workspace)

    await session.sign_out()

    assert session.closed.done() and session.signed_out
