"""The dispatch steps of a service order: modes, assignment, claims, refusals, pins, marks.

Mixed into ServiceOrder; each `_on_<action>(command, at, reason)` validates its command's values
(core.orders.commands), applies them and returns what the action's event carries.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

from core.orders.commands import (
    KEEP,
    Accept,
    Assign,
    Claim,
    Escalate,
    Mark,
    OpenDispatch,
    Pin,
    Refuse,
    Unpin,
    Withdraw,
)
from core.orders.errors import InvalidCommand
from core.orders.lifecycle import DispatchMode, OrderTag, RefusalCode
from core.text import CUT, split_words, with_words

# orders.dispatch_note is VARCHAR(500); tests/unit/dispatch/test_dispatch_words.py holds the
# two equal.
NOTE_LIMIT = 500


def fit_note(text: str, limit: int = NOTE_LIMIT) -> str:
    """Text as a bounded note may hold it: control and format characters (NUL, bidi overrides,
    escapes, line breaks) become spaces, and it is cut to `limit` characters with a mark.

    The one place where a dispatch note or the dispatcher's words are made storable: they are
    built from order data (skills, names) that may predate every input check. A note quoting a
    person (core.text.with_words) is cut in the words, so it keeps its form.
    """
    plain = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c
                    for c in text)
    plain = " ".join(plain.split())
    if len(plain) <= limit:
        return plain
    quoted = split_words(plain)
    if quoted is not None and len(quoted[0]) < limit // 2:
        return with_words(*quoted, limit=limit)
    return plain[:limit - len(CUT)] + CUT


class DispatchSteps:
    technician_id: int | None
    dispatch_mode: DispatchMode | None
    dispatch_since: datetime | None
    dispatch_note: str
    dispatch_pinned: bool
    tags: list[str]
    grab_price_fen: int | None
    accept_by: datetime | None
    appointment_start: datetime | None
    appointment_end: datetime | None

    def _mode(self, raw: DispatchMode | str | None, default: DispatchMode) -> DispatchMode:
        try:
            return DispatchMode(raw or default)
        except ValueError:
            raise InvalidCommand(f"未知的派单方式 '{raw}' "
                                 f"(unknown dispatch mode '{raw}')") from None

    def _enter_mode(self, mode: DispatchMode, at: datetime, note: str) -> None:
        self.dispatch_mode, self.dispatch_since = mode, at
        self.dispatch_note = fit_note(note) if mode is DispatchMode.MANUAL else ""

    def _on_open_dispatch(self, cmd: OpenDispatch, at: datetime, reason: str) -> dict[str, Any]:
        mode = self._mode(cmd.mode, DispatchMode.MANUAL)
        self._enter_mode(mode, at, str(cmd.note or ""))
        data: dict[str, Any] = {"mode": mode.value}
        if self.dispatch_note:
            data["note"] = self.dispatch_note
        if cmd.code:
            data["code"] = str(cmd.code)  # why it went straight to a person
        return data

    def _on_escalate(self, cmd: Escalate, at: datetime, reason: str) -> dict[str, Any]:
        mode = self._mode(cmd.mode, DispatchMode.MANUAL)
        previous = self.dispatch_mode
        self._enter_mode(mode, at, str(cmd.note or reason))
        return {"mode": mode.value, "from_mode": previous.value if previous else None,
                "code": str(cmd.code or "")}

    def _take(self, tech: int, name: str, accept_by: datetime | None,
              pinned: bool) -> dict[str, Any]:
        previous, self.technician_id = self.technician_id, tech
        self.dispatch_pinned, self.dispatch_note = pinned, ""
        if accept_by is not None and (not isinstance(accept_by, datetime)
                                      or accept_by.tzinfo is None):
            raise InvalidCommand("接单截止时间须带时区 "
                                 "(accept_by must be a time with a time zone)")
        self.accept_by = accept_by
        return {
            "technician_id": tech,
            "technician_name": name,
            "previous_technician_id": previous,
            "pinned": pinned,
            **({"accept_by": accept_by.isoformat()} if accept_by else {}),
        }

    def _on_assign(self, cmd: Assign, at: datetime, reason: str) -> dict[str, Any]:
        tech = cmd.technician_id
        # `perform` and the wire may hand over anything: only a whole id is a technician.
        if not isinstance(tech, int) or isinstance(tech, bool):
            raise InvalidCommand("派单需要指定师傅 (assign needs a technician id)")
        if tech == self.technician_id:
            raise InvalidCommand(f"工单已派给师傅 {tech} "
                                 f"(order is already assigned to technician {tech})")
        if self.dispatch_pinned and cmd.automatic:
            raise InvalidCommand("派单已锁定，自动派单不能改派 "
                                 "(the assignment is pinned: automatic dispatch may not change it)")
        data = self._take(tech, cmd.technician_name, cmd.accept_by, bool(cmd.pinned))
        if cmd.terms:
            data["terms"] = dict(cmd.terms)
        if cmd.automatic:
            data["automatic"] = True
        return data

    def _on_claim(self, cmd: Claim, at: datetime, reason: str) -> dict[str, Any]:
        if self.dispatch_mode is not DispatchMode.GRAB:
            raise InvalidCommand("工单不在抢单池中 (the order is not offered in the grab pool)")
        tech = cmd.technician_id
        if not isinstance(tech, int) or isinstance(tech, bool):
            raise InvalidCommand("抢单需要指明师傅 (claim needs the claiming technician)")
        data = self._take(tech, cmd.technician_name, cmd.accept_by, False)
        # The price is the one the offer showed the technician, not a mark made after it
        # opened: that is what they agreed to, so the order takes it too.
        offered = self.grab_price_fen if cmd.offer_price_fen is KEEP else cmd.offer_price_fen
        if offered is not None and (not isinstance(offered, int) or offered < 0):
            raise InvalidCommand("抢单价须为不小于 0 的整数分 "
                                 "(the offer's price must be a whole number of fen, not negative)")
        if offered != self.grab_price_fen:
            data["marked_price_fen"] = self.grab_price_fen
        self.grab_price_fen = offered
        if offered is not None:
            data["grab_price_fen"] = offered
        return data

    def _release(self, code: RefusalCode | str | None, mode: DispatchMode | str | None,
                 note: str | None, at: datetime) -> dict[str, Any]:
        previous, self.technician_id = self.technician_id, None
        self.appointment_start = self.appointment_end = None
        self.accept_by, self.dispatch_pinned = None, False
        data: dict[str, Any] = {"previous_technician_id": previous}
        if code is not None:
            try:
                data["code"] = RefusalCode(code).value
            except ValueError:
                raise InvalidCommand(f"未知的拒单原因 '{code}' "
                                     f"(unknown refusal code '{code}')") from None
        if mode is not None:
            chosen = self._mode(mode, DispatchMode.MANUAL)
            self._enter_mode(chosen, at, str(note or ""))
            data["mode"] = chosen.value
        else:
            self.dispatch_since = at or self.dispatch_since
        return data

    def _on_refuse(self, cmd: Refuse, at: datetime, reason: str) -> dict[str, Any]:
        # Where the order goes next is the region's policy (and its escalation rules), never
        # the refuser's choice: a refusal only says why (Refuse has no mode or note).
        return self._release(cmd.code, None, None, at)

    def _on_withdraw(self, cmd: Withdraw, at: datetime, reason: str) -> dict[str, Any]:
        return self._release(cmd.code, cmd.mode, cmd.note, at)

    def _on_accept(self, cmd: Accept, at: datetime, reason: str) -> dict[str, Any]:
        self.accept_by = None
        return {}

    def _on_pin(self, cmd: Pin, at: datetime, reason: str) -> dict[str, Any]:
        if self.dispatch_pinned:
            raise InvalidCommand("派单已经锁定 (the assignment is already pinned)")
        self.dispatch_pinned = True
        return {"pinned": True}

    def _on_unpin(self, cmd: Unpin, at: datetime, reason: str) -> dict[str, Any]:
        if not self.dispatch_pinned:
            raise InvalidCommand("派单未锁定 (the assignment is not pinned)")
        self.dispatch_pinned = False
        return {"pinned": False}

    def _on_mark(self, cmd: Mark, at: datetime, reason: str) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if cmd.tags is not None:
            try:
                tags = sorted({OrderTag(t).value for t in cmd.tags})
            except ValueError as exc:
                raise InvalidCommand(f"未知的标签 (unknown tag: {exc})") from None
            data["tags"], data["previous_tags"], self.tags = tags, list(self.tags), tags
        if cmd.grab_price_fen is not KEEP:
            price = cmd.grab_price_fen
            if price is not None and (not isinstance(price, int) or price < 0):
                raise InvalidCommand("抢单价须为不小于 0 的整数分 "
                                     "(grab price must be a whole number of fen, not negative)")
            data["grab_price_fen"], data["previous_grab_price_fen"] = price, self.grab_price_fen
            self.grab_price_fen = price
        if not data:
            raise InvalidCommand("请填写标签或抢单价 (mark needs tags or a grab price)")
        return data
