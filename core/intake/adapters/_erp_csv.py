"""The brand ERP's CSV export: one row per order line, cut into one record per order.

A record's text is the header line plus the order's own lines, as they were in the file, and
its data a list of row dicts keyed by the file's own header names plus `_line` (the file line
the row starts on; the header is line 1). Errors name `rows[<line>].<column>`, e.g. `rows[5].手机`.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from core.intake.adapters import _fields as fields
from core.intake.adapters import _values as values
from core.intake.errors import PayloadRejected
from core.intake.model import RawRecord

LINE = "_line"
BROKEN = "_unreadable"
# Canonical column -> the headers an export may use for it (Chinese first: the name errors use
# when the column is absent). Matched after trimming, lower-casing and ASCII parentheses.
COLUMNS: dict[str, tuple[str, ...]] = {
    "order_no": ("订单号", "订单编号", "order_no"),
    "customer_name": ("客户姓名", "收货人", "customer_name"),
    "phone": ("手机", "手机号", "phone", "mobile"),
    "province": ("省", "province"),
    "city": ("市", "city"),
    "district": ("区", "区县", "district"),
    "address": ("详细地址", "address"),
    "sku": ("商品编码", "sku"),
    "product_name": ("商品名称", "product_name"),
    "quantity": ("数量", "quantity"),
    "unit_price": ("单价(元)", "单价", "unit_price"),
    "gift": ("是否赠品", "gift"),
    "service_type": ("服务类型", "service_type"),
    "ordered_at": ("下单时间", "ordered_at"),
    "status": ("状态", "status"),
    "line_no": ("行号", "line_no"),
    "brand": ("品牌", "brand"),
    "note": ("备注", "note"),
}
_ALIASES = {alias: canonical for canonical, names in COLUMNS.items() for alias in names}


def canonical(header: str) -> str | None:
    cleaned = header.strip().lstrip("\ufeff").replace("（", "(").replace("）", ")").lower()
    return _ALIASES.get(cleaned)


def header_map(headers: Any) -> dict[str, str]:
    """Canonical column -> the file's own header for it (the first one, if repeated)."""
    found: dict[str, str] = {}
    for header in headers:
        name = canonical(header) if isinstance(header, str) else None
        if name and name not in found:
            found[name] = header
    return found


def cut(text: str) -> list[RawRecord]:
    """One record per order number, in the order they first appear; blank lines skipped.

    A line the csv module cannot read (a cell over its size limit) joins the order it seems
    to belong to (or is a record of its own), refused when parsed; the rest goes through.
    """
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        raise PayloadRejected("", "文件为空，没有表头 (empty CSV: no header line)") from None
    except csv.Error as exc:
        raise PayloadRejected("", f"表头格式错误 (malformed CSV header: {exc})") from None
    header_text = "".join(lines[:reader.line_num])
    _refuse_repeated(header)
    order_column = header_map(header).get("order_no")
    if order_column is None:
        raise PayloadRejected(COLUMNS["order_no"][0],
                              "缺少订单号列 (column missing (订单号 / order_no))")
    groups: dict[str, list[tuple[dict[str, Any], str]]] = {}
    while True:
        first = reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if reader.line_num == first:  # nothing consumed: the reader cannot go on
                raise PayloadRejected(
                    "", f"CSV 格式错误 (malformed CSV at line {first + 1}: {exc})") from None
            raw = "".join(lines[first:reader.line_num])
            groups.setdefault(_guess_order(raw, header.index(order_column), first), []).append(
                ({LINE: first + 1, BROKEN: str(exc)}, raw))
            continue
        if not any(cell.strip() for cell in row):
            continue
        cells: dict[str, Any] = {name: (row[i] if i < len(row) else "")
                                 for i, name in enumerate(header)}
        cells[LINE] = first + 1
        # A row without an order number is a record of its own, refused when parsed.
        key = cells[order_column].strip() or f"\x00{first}"
        groups.setdefault(key, []).append((cells, "".join(lines[first:reader.line_num])))
    return [RawRecord(index=i, text=header_text + "".join(raw for _, raw in group),
                      data=[cells for cells, _ in group], key=values.safe_key(key))
            for i, (key, group) in enumerate(groups.items())]


def _refuse_repeated(header: list[str]) -> None:
    """A column given twice (手机 and phone, or 手机 twice) leaves which value counts to a guess."""
    names = [canonical(cell) for cell in header]
    for name in COLUMNS:
        if names.count(name) > 1:
            raise PayloadRejected(COLUMNS[name][0],
                                  "表头重复 (column given more than once in the header)")


def _guess_order(raw: str, column: int, first: int) -> str:
    """The order number of an unreadable line, read naively (no quoting), else its own key."""
    cells = raw.split(",")
    key = cells[column].strip().strip('"').strip() if column < len(cells) else ""
    return key if key and len(key) <= 64 else f"\x00{first}"


class Rows:
    """An order's rows with typed access by canonical column, errors naming the file's cells."""

    def __init__(self, data: Any) -> None:
        if not isinstance(data, list) or not data:
            raise PayloadRejected("rows", "没有数据行 (no rows)")
        if len(data) > fields.MAX_LINES:
            raise PayloadRejected("rows", f"行数过多 ({len(data)} rows in one order, more than "
                                          f"{fields.MAX_LINES})")
        self.rows = [fields.obj(row, f"rows[{i}]") for i, row in enumerate(data)]
        for row in self.rows:
            if BROKEN in row:
                raise PayloadRejected(self.path(row),
                                      f"该行无法读取 (unreadable CSV line: {row[BROKEN]})")
        self.columns = header_map(key for key in self.rows[0] if key != LINE)

    def path(self, row: dict[str, Any]) -> str:
        line = row.get(LINE)
        return f"rows[{line if isinstance(line, int) else '?'}]"

    def column(self, name: str) -> str:
        return self.columns.get(name, COLUMNS[name][0])

    def text(self, row: dict[str, Any], name: str, *, required: bool = False,
             max_length: int = fields.MAX_TEXT) -> str:
        return values.plain(row, self.column(name), self.path(row), required=required,
                            max_length=max_length)

    def shared(self, name: str, *, required: bool = False,
               max_length: int = fields.MAX_TEXT) -> str:
        """An order-level column: the first value given; another value on a later row is refused."""
        found, first_path = "", ""
        for row in self.rows:
            value = self.text(row, name, max_length=max_length)
            if value and not found:
                found, first_path = value, self.path(row)
            elif value and value != found:
                raise PayloadRejected(fields.join(self.path(row), self.column(name)),
                                      "与同一订单的其他行不一致 "
                                      f"(differs from {first_path} of the same order)")
        if required and not found:
            raise PayloadRejected(fields.join(self.path(self.rows[0]), self.column(name)),
                                  "缺少该字段 (missing)")
        return found
