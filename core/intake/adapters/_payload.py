"""JSON reading the TOP-style adapters need beyond _fields: JSON strings nested inside JSON,
optional children, lists under wrapper keys, texts with alternative names."""

from __future__ import annotations

from typing import Any

from core.intake.adapters import _fields
from core.intake.adapters._fields import MAX_LINES, MAX_QUANTITY, MAX_TEXT, MAX_UNIT_FEN, join
from core.intake.errors import PayloadRejected

# Amounts for a whole line or order: up to the largest unit price times the largest quantity.
MAX_TOTAL_FEN = MAX_UNIT_FEN * MAX_QUANTITY
MAX_RECORDS = 1000  # records per payload: a TOP page holds at most 100 trades, TMC 200 messages


# One JSON reader and one record text for every adapter (see _fields).
load = _fields.load_json
record_text = _fields.record_text


def nested(value: Any, path: str) -> Any:
    """A value that platforms send either as JSON or as a JSON string holding it."""
    if isinstance(value, str) and value.lstrip()[:1] in ("{", "["):
        return load(value, path)
    return value


def child(parent: dict[str, Any], key: str, path: str = "", *,
          required: bool = True) -> dict[str, Any] | None:
    """A nested object (or a JSON string holding one); None when absent and not required."""
    where = join(path, key)
    value = parent.get(key)
    if value is None or value == "":
        if required:
            raise PayloadRejected(where, "缺少该字段 (missing)")
        return None
    return _fields.obj(nested(value, where), where)


def node(parent: dict[str, Any], key: str, path: str = "") -> dict[str, Any]:
    """A required nested object (or a JSON string holding one)."""
    found = child(parent, key, path)
    if found is None:  # child() refuses a missing object already; this narrows the type
        raise PayloadRejected(join(path, key), "缺少该字段 (missing)")
    return found


def items(parent: dict[str, Any], key: str, path: str = "", *, inner: str | None = None,
          required: bool = True, limit: int = MAX_LINES) -> list[Any]:
    """A nested list, also inside TOP's `{"order": [...]}` wrappers or a JSON string."""
    return located(parent, key, path, inner=inner, required=required, limit=limit)[1]


def located(parent: dict[str, Any], key: str, path: str = "", *, inner: str | None = None,
            required: bool = True, limit: int = MAX_LINES) -> tuple[str, list[Any]]:
    """`items` with the path the list was found at, for naming its entries in errors."""
    where = join(path, key)
    value = nested(parent.get(key), where)
    if value is None or value == "":
        if required:
            raise PayloadRejected(where, "缺少该字段 (missing)")
        return where, []
    if inner is not None and isinstance(value, dict) and inner in value:
        where = join(where, inner)
        value = nested(value[inner], where)
    if isinstance(value, dict):  # TOP sends one object where a list of one is meant
        value = [value]
    if not isinstance(value, list):
        raise PayloadRejected(where, f"类型不对 (expected a list, got {type(value).__name__})")
    if len(value) > limit:
        raise PayloadRejected(where, f"条目过多 ({len(value)} entries, more than {limit})")
    return where, value


def text(parent: dict[str, Any], key: str, path: str = "", *, required: bool = True,
         max_length: int = MAX_TEXT, default: str = "") -> str:
    """_fields.text, refusing text that is not valid Unicode."""
    result = _fields.text(parent, key, path, required=required, max_length=max_length,
                          default=default)
    try:
        result.encode("utf-8")
    except UnicodeEncodeError:
        raise PayloadRejected(
            join(path, key), "含有无效字符 (contains invalid Unicode (a lone surrogate))") from None
    return result


def first_text(parent: dict[str, Any], keys: tuple[str, ...], path: str = "", *,
               max_length: int = MAX_TEXT, required: bool = True) -> str:
    """The first of several alternative fields that is present; names the first when none is."""
    for key in keys:
        value = text(parent, key, path, required=False, max_length=max_length)
        if value:
            return value
    if required:
        others = " or ".join(keys[1:])
        raise PayloadRejected(join(path, keys[0]), f"缺少该字段 (missing (and no {others}))"
                              if others else "缺少该字段 (missing)")
    return ""


def flag(parent: dict[str, Any], key: str) -> bool:
    """A documented boolean that TOP sends as true, "true" or 1."""
    value = parent.get(key)
    return value is True or value == 1 or (isinstance(value, str) and value.lower() in
                                           ("true", "1"))
