"""Every adapter either converts or refuses cleanly (PayloadRejected), whatever it is fed.

Runs for every registered platform and every fixture under tests/fixtures/intake/<platform>/:
random bytes, random JSON built from the platform's own field names, and the fixtures mutated
(keys dropped, types changed, huge strings, negative amounts, 5,000 items, JSON strings inside
JSON). Round trips render -> records -> parse for the platforms with demo renderers.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.intake.adapters import get_adapter, platforms, read
from core.intake.errors import PayloadRejected
from core.intake.model import Intent, PlatformLine, PlatformOrder

ROOT = Path(__file__).parents[3] / "fixtures" / "intake"
PLATFORMS = platforms()
FIXTURES = [(platform, path) for platform in PLATFORMS
            for path in sorted((ROOT / platform).glob("*"))
            if path.is_file() and path.suffix in (".json", ".csv")]
RENDERED = [p for p in ("tmall", "taobao", "own", "jd", "suning", "erp") if p in PLATFORMS]
SETTINGS = settings(max_examples=30, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
HUGE = "路" * 100_000
MUTATION_BUDGET = 1_000_000  # characters; the adapters refuse payloads over 8 MB unread


def content_type(path: Path) -> str:
    return "text/csv" if path.suffix == ".csv" else "application/json"


def assert_clean(platform: str, payload: bytes, kind: str = "application/json") -> None:
    """The adapter's whole contract on one payload: orders or PayloadRejected, nothing else."""
    adapter = get_adapter(platform)
    try:
        results = read(adapter, payload, kind)
    except PayloadRejected as exc:
        assert isinstance(exc.field, str) and exc.reason
        return
    for _record, out in results:
        assert isinstance(out, PlatformOrder | PayloadRejected), out
        if isinstance(out, PlatformOrder):
            assert_sound(platform, out)


def assert_sound(platform: str, order: PlatformOrder) -> None:
    """What storage relies on in every converted order."""
    assert order.platform == platform
    assert order.platform_order_id
    for line in order.lines:
        assert line.quantity >= 1 and line.unit_price_fen >= 0, line
    texts = [order.platform_order_id, order.customer_name, order.customer_phone, order.address,
             order.province, order.city, order.district, order.town, order.shop, order.note,
             order.status, *order.service_tags,
             *(text for line in order.lines for text in (line.sku, line.name, line.line_id))]
    for text in texts:
        text.encode("utf-8")  # a lone surrogate would fail in storage, not here


def fixture_text(path: Path) -> str:
    raw = path.read_bytes()
    for charset in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(charset)
        except UnicodeDecodeError:
            continue
    raise AssertionError(f"{path} is neither UTF-8 nor GB18030")


def keys_of(value: Any) -> Iterator[str]:
    """Every object key in a JSON value, also inside JSON strings."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from keys_of(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from keys_of(inner)
    elif isinstance(value, str) and value[:1] in ("{", "["):
        try:
            yield from keys_of(json.loads(value))
        except ValueError:
            return


def vocabulary(platform: str) -> list[str]:
    words: set[str] = set()
    for name, path in FIXTURES:
        if name == platform and path.suffix == ".json":
            words.update(keys_of(json.loads(fixture_text(path))))
    return sorted(words) or ["id"]


SCALARS = (st.none() | st.booleans() | st.integers(-(10**20), 10**20)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30)
           | st.sampled_from(["", "-1.00", "0.00", "12.345", "NaN", "1e999", "\ud800", HUGE[:600],
                              "2024-05-01 10:00:00", "13800138000", "{}", "[]", "{\"a\":"]))


def json_values(platform: str) -> st.SearchStrategy[Any]:
    keys = st.sampled_from(vocabulary(platform)) | st.text(max_size=8)
    return st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(keys, inner, max_size=6), max_leaves=40)


OPS = ("drop", "retype", "huge", "negative", "many", "null", "stringify", "bigint", "descend")


def many(value: Any) -> list[Any]:
    """5,000 copies of a value, fewer when that would pass the budget (copies of copies)."""
    size = len(json.dumps(value, ensure_ascii=False)) + 1
    return [value] * max(1, min(5000, MUTATION_BUDGET * 8 // size))


def replaced(data: st.DataObject, op: str, value: Any) -> Any:
    if op == "huge":
        return HUGE
    if op == "negative":
        return data.draw(st.sampled_from([-1, -0.01, "-1.00", "-99999999"]))
    if op == "many":
        return many(value)
    if op == "null":
        return None
    if op == "stringify":  # the platform sent the value as a JSON string instead
        return json.dumps(value, ensure_ascii=False)
    if op == "bigint":
        return 10**40
    return data.draw(SCALARS | st.lists(SCALARS, max_size=3) | st.dictionaries(
        st.text(max_size=5), SCALARS, max_size=3))


def mutate(data: st.DataObject, value: Any, depth: int = 0) -> Any:
    """One random change somewhere in a JSON value (also inside JSON strings held by it)."""
    if isinstance(value, str) and value[:1] in ("{", "[") and depth < 12:
        try:
            inner = json.loads(value)
        except ValueError:
            inner = None
        if isinstance(inner, dict | list):
            return json.dumps(mutate(data, inner, depth + 1), ensure_ascii=False)
    if isinstance(value, dict) and value and depth < 12:
        key = data.draw(st.sampled_from(sorted(value)))
        op = data.draw(st.sampled_from(OPS))
        changed = dict(value)
        if op == "drop":
            del changed[key]
        elif op == "descend":
            changed[key] = mutate(data, changed[key], depth + 1)
        else:
            changed[key] = replaced(data, op, changed[key])
        return changed
    if isinstance(value, list) and value and depth < 12:
        index = data.draw(st.integers(0, len(value) - 1))
        op = data.draw(st.sampled_from(OPS))
        changed_list = list(value)
        if op == "drop":
            del changed_list[index]
        elif op == "many":
            changed_list = many(value[index])
        elif op == "descend":
            changed_list[index] = mutate(data, value[index], depth + 1)
        else:
            changed_list[index] = replaced(data, op, value[index])
        return changed_list
    return replaced(data, data.draw(st.sampled_from(OPS[:-1])), value)


def mutate_text(data: st.DataObject, text: str) -> str:
    """A random change to a text (CSV) fixture: lines and cells dropped, junk, 5,000 rows."""
    lines = text.splitlines()
    if not lines:
        return text
    index = data.draw(st.integers(0, len(lines) - 1))
    op = data.draw(st.sampled_from(["drop_line", "drop_cell", "cell", "many", "cut"]))
    if op == "drop_line":
        del lines[index]
    elif op == "many":
        lines = lines[:1] + [lines[-1]] * 5000
    elif op == "cut":
        return text[: data.draw(st.integers(0, len(text)))]
    else:
        cells = lines[index].split(",")
        cell = data.draw(st.integers(0, len(cells) - 1))
        if op == "drop_cell":
            del cells[cell]
        else:
            cells[cell] = data.draw(st.sampled_from(["", "-1", "-0.01", HUGE, "abc", "\"",
                                                     "99999999999999999999", "１２"]))
        lines[index] = ",".join(cells)
    return "\n".join(lines)


@pytest.mark.parametrize("platform", PLATFORMS)
@SETTINGS
@given(payload=st.binary(max_size=3000))
def test_random_bytes_are_converted_or_refused(platform: str, payload: bytes) -> None:
    for kind in get_adapter(platform).content_types:
        assert_clean(platform, payload, kind)


@pytest.mark.parametrize("platform", PLATFORMS)
@SETTINGS
@given(data=st.data())
def test_random_json_is_converted_or_refused(platform: str, data: st.DataObject) -> None:
    value = data.draw(json_values(platform))

    assert_clean(platform, json.dumps(value, ensure_ascii=data.draw(st.booleans())).encode(
        "utf-8", "surrogatepass"))


NASTY = [
    # more digits than CPython converts to int: a ValueError, not a JSONDecodeError
    b"1" * 5000,
    b'{"tid": ' + b"9" * 5000 + b"}",
    b"[" * 100_000,  # nested beyond the recursion limit
    b'"\\ud800"',  # a lone surrogate
    b'{"content": "{\\"result\\": ' + b"7" * 5000 + b'}", "topic": "x"}',
    b"\xef\xbb\xbf{}",  # a UTF-8 byte order mark
    b"\x00" * 100,
    b"",
]


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("payload", NASTY, ids=range(len(NASTY)))
def test_nasty_payloads_are_refused_cleanly(platform: str, payload: bytes) -> None:
    for kind in get_adapter(platform).content_types:
        assert_clean(platform, payload, kind)


@pytest.mark.parametrize(("platform", "path"), FIXTURES,
                         ids=[f"{p}/{path.name}" for p, path in FIXTURES])
def test_every_fixture_is_converted_or_refused(platform: str, path: Path) -> None:
    assert_clean(platform, path.read_bytes(), content_type(path))


@pytest.mark.parametrize(("platform", "path"), FIXTURES,
                         ids=[f"{p}/{path.name}" for p, path in FIXTURES])
@SETTINGS
@given(data=st.data())
def test_mutated_fixtures_are_converted_or_refused(platform: str, path: Path,
                                                   data: st.DataObject) -> None:
    text = fixture_text(path)
    for _ in range(data.draw(st.integers(1, 3))):
        if len(text) > MUTATION_BUDGET:  # 5,000 copies of 5,000 copies would exhaust memory
            break
        if path.suffix == ".csv":
            text = mutate_text(data, text)
        else:
            text = json.dumps(mutate(data, json.loads(text)), ensure_ascii=False)
    # UTF-8 keeps lone surrogates as (invalid) bytes; GB18030 cannot hold them at all.
    charset, errors = data.draw(st.sampled_from([("utf-8", "surrogatepass"),
                                                 ("gb18030", "replace")]))

    assert_clean(platform, text.encode(charset, errors), content_type(path))


WORDS = st.text(st.sampled_from("张王李赵刘陈杨黄周吴徐孙小明华丽强军芳娟路街号楼室栋单元"
                                "ABCabc0123456789"), min_size=2, max_size=20)
PHONES = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
AT = datetime(2024, 5, 1, 2, 0, tzinfo=UTC)


@st.composite
def platform_orders(draw: st.DrawFn) -> PlatformOrder:
    lines = tuple(
        PlatformLine(sku=draw(st.from_regex(r"[A-Z]{2}-[0-9]{3,6}", fullmatch=True)),
                     name=draw(WORDS), quantity=draw(st.integers(1, 999)),
                     unit_price_fen=draw(st.integers(1, 10_000_000)), line_id=str(7000 + n),
                     service_tags=draw(st.lists(st.sampled_from(["安装", "维修", "空调安装"]),
                                                max_size=1, unique=True).map(tuple)))
        for n in range(draw(st.integers(1, 3))))
    ordered = AT + timedelta(minutes=draw(st.integers(0, 100_000)))
    # Urges are messages about an order, not orders: only Tmall renders them (a test below).
    intent = draw(st.sampled_from([i for i in Intent if i is not Intent.URGE]))
    return PlatformOrder(
        platform="demo", platform_order_id=str(draw(st.integers(10**8, 10**18))),
        intent=intent, customer_name=draw(WORDS), customer_phone=draw(PHONES),
        address=draw(WORDS), province="浙江省", city="杭州市", district="西湖区",
        lines=lines, paid_fen=sum(line.quantity * line.unit_price_fen for line in lines),
        ordered_at=ordered,
        modified_at=ordered + timedelta(hours=2 if intent is Intent.UPDATE else 0),
        shop=draw(WORDS))


READ_BACK = {
    ("tmall", Intent.REFUND): Intent.CANCEL,  # a refunded work card is a cancelled one
    ("jd", Intent.REFUND): Intent.UPDATE,  # JD flags no refund on the order, only a change
    ("suning", Intent.UPDATE): Intent.NEW,  # Suning flags no change: storage compares fields
}


@pytest.mark.parametrize("platform", RENDERED)
@SETTINGS
@given(many=st.lists(platform_orders(), min_size=1, max_size=4,
                     unique_by=lambda o: o.platform_order_id))
def test_rendered_orders_read_back_with_their_ids_and_intents(
        platform: str, many: list[PlatformOrder]) -> None:
    renderer = importlib.import_module(f"core.demo.platforms.{platform}")
    body, kind = renderer.render(many)

    back = [out for _, out in read(get_adapter(platform), body, kind)]

    assert all(isinstance(out, PlatformOrder) for out in back), back
    orders = [out for out in back if isinstance(out, PlatformOrder)]
    assert [(o.platform_order_id, o.intent) for o in orders] == \
        [(o.platform_order_id, READ_BACK.get((platform, o.intent), o.intent)) for o in many]
    for source, out in zip(many, orders, strict=True):
        assert_sound(platform, out)
        if out.intent is not Intent.CANCEL or platform != "tmall":
            assert (out.customer_name, out.customer_phone) == \
                (source.customer_name, source.customer_phone)
            assert out.address.endswith(source.address)


@SETTINGS
@given(order=platform_orders(), ref=st.text("0123456789ABC-", min_size=1, max_size=64),
       words=WORDS)
def test_a_rendered_tmall_urge_reads_back_with_its_card_ref_and_words(
        order: PlatformOrder, ref: str, words: str) -> None:
    renderer = importlib.import_module("core.demo.platforms.tmall")
    urge = replace(order, intent=Intent.URGE, urge_ref=ref, note=words)

    ((_, out),) = read(get_adapter("tmall"), *renderer.render([urge]))

    assert isinstance(out, PlatformOrder)
    assert (out.platform_order_id, out.intent, out.urge_ref, out.note) == (
        order.platform_order_id, Intent.URGE, ref, words.strip() or "催单")

