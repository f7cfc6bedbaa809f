"""Server-sent events as the change feed frames them (text/event-stream)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SseMessage:
    """One server-sent event as the wire framed it."""

    event: str = "message"
    data: str = ""
    id: str | None = None


@dataclass
class SseParser:
    """Turns text/event-stream lines into messages (WHATWG rules, minus retry)."""

    _event: str = ""
    _data: list[str] = field(default_factory=list)
    _id: str | None = None

    def feed(self, line: str) -> SseMessage | None:
        """Take one line (without its end-of-line); return a message when a blank line ends one."""
        if not line:
            return self._dispatch()
        if line.startswith(":"):  # a comment, e.g. the server's ": ping" keep-alive
            return None
        name, sep, value = line.partition(":")
        if sep and value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self._id = value
        return None

    def _dispatch(self) -> SseMessage | None:
        # Per the spec a block without data lines is no event (it may only set the id).
        message = None
        if self._data:
            message = SseMessage(self._event or "message", "\n".join(self._data), self._id)
        self._event, self._data = "", []
        return message
