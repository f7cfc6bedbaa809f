"""Signing in: the login dialog's request becomes a client with a token, or a clear refusal."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject, Signal

from console.errors import ApiError, ConsoleError
from console.presenters.messages import MessageRoute, describe
from console.presenters.tasks import spawn
from core.contracts import TokenOut
from core.orders.lifecycle import Role
from ui.session.login_dialog import LoginDialog

translate = QCoreApplication.translate

log = logging.getLogger(__name__)
DESK_ROLES = frozenset({Role.AGENT, Role.SUPERVISOR, Role.FINANCE, Role.ADMIN})


class SessionClient(Protocol):
    async def login(self, username: str, password: str) -> TokenOut: ...

    async def aclose(self) -> None: ...


class SessionPresenter(QObject):
    """Signals: signedIn(client, TokenOut) once the server accepted a desk user."""

    signedIn = Signal(object, object)

    def __init__(
        self,
        dialog: LoginDialog,
        client_factory: Callable[[str], Any],
        route: MessageRoute,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._dialog = dialog
        self._factory = client_factory
        self._route = route
        dialog.loginRequested.connect(self._requested)

    def _requested(self, url: str, user: str, password: str) -> None:
        spawn(
            self.sign_in(url, user, password),
            self._route,
            translate("SessionPresenter", "Signing in"),
        )

    async def sign_in(self, url: str, user: str, password: str) -> TokenOut | None:
        """Sign in; on success the dialog is accepted and signedIn emitted."""
        client: SessionClient = self._factory(url)
        try:
            token = await client.login(user, password)
        except ConsoleError as exc:
            log.info("sign-in as %s at %s failed: %s", user, url, exc)
            self._dialog.show_error(self._refusal(exc))
            await client.aclose()
            return None
        except Exception as exc:  # a bad URL, say: the dialog must never hang busy
            log.exception("sign-in as %s at %s failed", user, url)
            self._dialog.show_error(describe(exc))
            await client.aclose()
            return None
        finally:
            self._dialog.set_busy(False)
        if token.user.role not in DESK_ROLES:
            self._dialog.show_error(
                translate("SessionPresenter", "Technicians use the field app, not the console.")
            )
            await client.aclose()
            return None
        self._dialog.accept()
        self.signedIn.emit(client, token)
        return token

    @staticmethod
    def _refusal(exc: ConsoleError) -> str:
        if isinstance(exc, ApiError) and exc.status in (400, 401, 422):
            return translate("SessionPresenter", "Wrong user name or password.")
        return describe(exc)
