"""Helpers the Qt tests import by name (not from conftest: tests/integration has conftests too,
and whichever `conftest` module was imported first would win)."""

from __future__ import annotations

from console.presenters.messages import MessageRoute


class Messages(MessageRoute):
    """A message route that remembers what it showed."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[tuple[str, str]] = []
        self.message.connect(lambda level, text: self.shown.append((level, text)))
