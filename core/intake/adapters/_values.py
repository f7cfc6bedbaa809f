"""Readers the JD, Suning and ERP adapters share on top of `_fields`.

Each failure is a PayloadRejected naming the field, as in `_fields`. Candidates for `_fields`
itself (the lead decides): whole quantities sent as decimals, optional amounts, yes/no flags,
and text that is refused when it holds lone surrogates (a JSON `\\ud800` escape decodes to one,
and it cannot be stored as UTF-8).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from core.intake.adapters import _fields as fields
from core.intake.errors import PayloadRejected

GIFT_WORD = "赠品"
# Totals (an order's payment, a line's payment, a coupon) may pass the per-unit cap of _fields.
MAX_TOTAL_FEN = fields.MAX_UNIT_FEN * fields.MAX_QUANTITY * fields.MAX_LINES
_YES = frozenset({"是", "y", "yes", "1", "true", "t"})
_NO = frozenset({"", "否", "n", "no", "0", "false", "f"})


def plain(parent: dict[str, Any], key: str, path: str = "", *, required: bool = True,
          max_length: int = fields.MAX_TEXT) -> str:
    """`_fields.text`, also refusing text that cannot be written as UTF-8."""
    value = fields.text(parent, key, path, required=required, max_length=max_length)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PayloadRejected(fields.join(path, key),
                              "含有无效字符 (contains invalid Unicode)") from None
    return value


def whole(parent: dict[str, Any], key: str, path: str = "", *, required: bool = True,
          default: int = 1) -> int:
    """A quantity 1..999; Suning and spreadsheets send whole numbers as "2.0"."""
    where = fields.join(path, key)
    value = parent.get(key)
    if value is None or value == "":
        if required:
            raise PayloadRejected(where, "缺少该字段 (missing)")
        return default
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise PayloadRejected(where, f"类型不对 (expected a quantity, got {type(value).__name__})")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise PayloadRejected(where, f"不是数量 ('{str(value)[:40]}' is not a quantity)") from None
    if not number.is_finite() or number != number.to_integral_value():
        raise PayloadRejected(where, f"数量须为整数 ('{str(value)[:40]}' is not a whole quantity)")
    if not 1 <= number <= fields.MAX_QUANTITY:
        raise PayloadRejected(where, f"数量超出范围 ({number} is outside 1..{fields.MAX_QUANTITY})")
    return int(number)


def amount(parent: dict[str, Any], key: str, path: str = "") -> int | None:
    """A total in yuan as fen, or None when absent (`_fields.fen` wants a default)."""
    if parent.get(key) is None or parent.get(key) == "":
        return None
    return total(parent, key, path)


def total(parent: dict[str, Any], key: str, path: str = "") -> int:
    """A total in yuan as fen (a line's or an order's payment): the per-unit cap times lines."""
    return fields.fen(parent, key, path, high=MAX_TOTAL_FEN)


def flag(parent: dict[str, Any], key: str, path: str = "") -> bool:
    """是/否, Y/N, 1/0, true/false (any case); absent is no."""
    value = parent.get(key)
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise PayloadRejected(fields.join(path, key),
                          f"应为是或否 ('{str(value)[:40]}' is neither yes nor no)")


def unit_paid(total_fen: int, quantity: int, where: str) -> int:
    """What one unit cost when a line's payment covers several (a fen left over stays off)."""
    unit = max(total_fen, 0) // quantity
    if unit > fields.MAX_UNIT_FEN:
        raise PayloadRejected(where, f"单价不合理 ({unit / 100:.2f} per unit is absurdly large)")
    return unit


def is_gift_name(name: str) -> bool:
    """JD and Suning have no gift field; gifts ride as their own lines named 赠品."""
    return GIFT_WORD in name


def note(*parts: str) -> str:
    return " / ".join(part for part in parts if part)


record_text = fields.record_text


def key_of(value: Any, key: str) -> str:
    """The order id an envelope shows for a record, "" when it has none usable."""
    if not isinstance(value, dict):
        return ""
    found = value.get(key)
    if isinstance(found, bool) or not isinstance(found, str | int):
        return ""
    return safe_key(str(found))


def safe_key(text: str) -> str:
    """An order id fit for messages: printable ASCII, at most 64 characters, else ""."""
    text = text.strip()[:64]
    return text if text.isprintable() and text.isascii() else ""
