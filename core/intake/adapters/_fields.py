"""Reading platform payloads safely: decoding, size limits, typed field access, money in fen.

Reasons are Chinese first, for the agents who read the problem list, with the English in
parentheses for support staff and logs.

Every failure is a PayloadRejected naming the field (a dotted path in the platform's own
structure), so adapters never let a KeyError or a TypeError escape.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from core.intake.errors import PayloadRejected

MAX_PAYLOAD_BYTES = 8 * 1024 * 1024
MAX_LINES = 200  # lines per order; a real order never has more
MAX_QUANTITY = 999
MAX_UNIT_FEN = 100_000_000  # one million yuan per unit
MAX_ADDRESS = 500
MAX_NAME = 64
MAX_TEXT = 200
SHANGHAI = timezone(timedelta(hours=8))


def decode(payload: bytes) -> str:
    """Text of a payload: UTF-8 (with or without BOM), else GB18030 as Chinese exports use."""
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise PayloadRejected(
            "", f"内容过大 (payload of {len(payload)} bytes exceeds {MAX_PAYLOAD_BYTES})")
    if not payload.strip():
        raise PayloadRejected("", "内容为空 (empty payload)")
    try:
        return payload.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return payload.decode("gb18030")
    except UnicodeDecodeError:
        raise PayloadRejected(
            "", "编码无法识别 (payload is neither UTF-8 nor GB18030 text)") from None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys each appear once: with a repeated key, which value counts depends
    on the parser (the platform's may keep the first, Python keeps the last), so none does."""
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise PayloadRejected("", f"JSON 键重复 (duplicate key '{key[:40]}')")
            seen.add(key)
    return found


def load_json(text: str, field: str = "") -> Any:
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except PayloadRejected as exc:
        raise PayloadRejected(field, exc.reason) from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise PayloadRejected(field, f"JSON 格式错误 (malformed JSON at {where})") from None
    except (ValueError, RecursionError):
        # Nesting too deep, or an integer of more digits than Python converts.
        raise PayloadRejected(
            field, "JSON 格式错误 (malformed JSON: too deep or a number too long)") from None


def dumps(value: Any) -> str:
    """A record's raw text for the dead-letter store (Chinese kept readable)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def record_text(value: Any, field: str = "") -> str:
    """A record's raw text for the dead-letter store; \\u-escaped where UTF-8 cannot hold it
    (lone surrogates), so the record is kept rather than lost."""
    try:
        text = dumps(value)
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return json.dumps(value, separators=(",", ":"))
    except (RecursionError, ValueError):
        raise PayloadRejected(field, "嵌套过深 (record nested too deeply)") from None


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def obj(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PayloadRejected(path, f"类型不对 (expected an object, got {type(value).__name__})")
    return value


def child(parent: dict[str, Any], key: str, path: str = "") -> dict[str, Any]:
    """A nested object; a JSON string holding an object is decoded (platforms do that)."""
    where = join(path, key)
    if key not in parent or parent[key] is None:
        raise PayloadRejected(where, "缺少该字段 (missing)")
    value = parent[key]
    if isinstance(value, str):
        value = load_json(value, where)
    return obj(value, where)


def listing(parent: dict[str, Any], key: str, path: str = "", *, inner: str | None = None,
            required: bool = True) -> list[Any]:
    """A nested list; also `{"order": [...]}` wrappers (`inner`) and JSON strings holding a list.

    Top-style envelopes give a single object where a list of one is meant; that is accepted too.
    """
    where = join(path, key)
    value = parent.get(key)
    if value is None:
        if required:
            raise PayloadRejected(where, "缺少该字段 (missing)")
        return []
    if isinstance(value, str):
        value = load_json(value, where)
    if inner is not None and isinstance(value, dict):
        where = join(where, inner)
        value = value.get(inner, [])
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise PayloadRejected(where, f"类型不对 (expected a list, got {type(value).__name__})")
    if len(value) > MAX_LINES:
        raise PayloadRejected(where, f"条目过多 ({len(value)} entries, more than {MAX_LINES})")
    return value


def text(parent: dict[str, Any], key: str, path: str = "", *, required: bool = True,
         max_length: int = MAX_TEXT, default: str = "") -> str:
    """A string field, stripped; numbers are taken as their text (ids often arrive as numbers)."""
    where = join(path, key)
    value = parent.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise PayloadRejected(where, "缺少该字段 (missing)")
        return default
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise PayloadRejected(where, f"类型不对 (expected text, got {type(value).__name__})")
    result = str(value).strip()
    if len(result) > max_length:
        raise PayloadRejected(where, f"内容过长 ({len(result)} characters, more than {max_length})")
    if "\x00" in result:
        raise PayloadRejected(where, "含有无效字符 (contains a NUL character)")
    if any("\ud800" <= ch <= "\udfff" for ch in result):
        raise PayloadRejected(
            where, "含有无效字符 (contains a lone surrogate, not valid Unicode text)")
    return result


def integer(parent: dict[str, Any], key: str, path: str = "", *, required: bool = True,
            low: int = 0, high: int = MAX_QUANTITY, default: int = 0) -> int:
    where = join(path, key)
    value = parent.get(key)
    if value is None or value == "":
        if required:
            raise PayloadRejected(where, "缺少该字段 (missing)")
        return default
    if isinstance(value, bool):
        raise PayloadRejected(where, "不是整数 (expected a whole number, got a boolean)")
    try:
        number = int(value) if isinstance(value, int) else int(str(value).strip())
    except ValueError:
        raise PayloadRejected(
            where, f"不是整数 ('{str(value)[:40]}' is not a whole number)") from None
    if not low <= number <= high:
        raise PayloadRejected(where, f"超出范围 ({number} is outside {low}..{high})")
    return number


def fen(parent: dict[str, Any], key: str, path: str = "", *, required: bool = True,
        unit: str = "yuan", high: int = MAX_UNIT_FEN, default: int | None = 0) -> int:
    """Money as integer fen from "12.50" / 12.5 yuan (unit="yuan") or from fen (unit="fen").

    Never goes through float arithmetic: values are read as Decimal from their text.
    """
    where = join(path, key)
    value = parent.get(key)
    if value is None or value == "":
        if required or default is None:
            raise PayloadRejected(where, "缺少该字段 (missing)")
        return default
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise PayloadRejected(where, f"不是金额 (expected an amount, got {type(value).__name__})")
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise PayloadRejected(where, f"不是金额 ('{str(value)[:40]}' is not an amount)") from None
    if not amount.is_finite():
        raise PayloadRejected(where, f"不是金额 ('{value}' is not an amount)")
    cents = amount * 100 if unit == "yuan" else amount
    if cents != cents.to_integral_value():
        raise PayloadRejected(where, f"金额精度超过分 ('{value}' has fractions of a fen)")
    result = int(cents)
    if result < 0:
        raise PayloadRejected(where, f"金额为负 (negative amount {value})")
    if result > high:
        raise PayloadRejected(where, f"金额不合理 (amount {value} is absurdly large)")
    return result


def timestamp(parent: dict[str, Any], key: str, path: str = "", *,
              required: bool = False) -> datetime | None:
    """'2024-05-01 10:20:30' (Beijing time, as the platforms send it), ISO 8601, or epoch ms."""
    where = join(path, key)
    value = parent.get(key)
    if value is None or value == "":
        if required:
            raise PayloadRejected(where, "缺少该字段 (missing)")
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
            number = int(value)
            seconds = number / 1000 if number > 10_000_000_000 else number
            return datetime.fromtimestamp(seconds, UTC)
        if not isinstance(value, str):
            raise ValueError
        parsed = datetime.fromisoformat(value.strip().replace("/", "-"))
    except (ValueError, OverflowError, OSError):
        raise PayloadRejected(
            where, f"不是日期时间 ('{str(value)[:40]}' is not a date and time)") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=SHANGHAI)


def phone(value: str, where: str) -> str:
    """A phone number with spaces and dashes removed; masked numbers (138****1234) are kept."""
    digits = "".join(ch for ch in value if ch not in " -()")
    if digits.startswith("+86"):
        digits = digits[3:]
    if len(digits) < 5 or not all(ch.isdigit() or ch == "*" for ch in digits):
        raise PayloadRejected(where, f"不是电话号码 ('{value[:40]}' is not a phone number)")
    return digits
