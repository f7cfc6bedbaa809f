"""`lastmile intake convert` and `lastmile regions locate`, as support staff run them."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from console.cli import main
from console.intake_cli import terminal_json

OWN_ORDER = {
    "platform": "own",
    "platform_order_id": "OWN-20261125-0001",
    "customer_name": "张三",
    "customer_phone": "13800138000",
    "address": "浙江省杭州市西湖区文三路 90 号 3 幢 502 室",
    "province": "浙江省",
    "city": "杭州市",
    "items": [
        {"sku": "AC-KFR35", "name": "空调挂机 1.5匹 KFR-35GW", "quantity": 1,
         "unit_price_fen": 289900},
        {"sku": "KT-HOOD", "name": "油烟机 侧吸式", "quantity": 1, "unit_price_fen": 259900},
    ],
}


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_convert_prints_one_service_order_per_trade(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    payload = tmp_path / "order.json"
    payload.write_text(json.dumps(OWN_ORDER, ensure_ascii=False), encoding="utf-8")
    code, out, err = _run(["intake", "convert", "--platform", "own", str(payload)], capsys)
    assert (code, err) == (0, "")
    orders = json.loads(out)
    assert sorted(o["trade"] for o in orders) == ["aircon", "kitchen"]
    assert {o["platform_order_id"] for o in orders} == {"OWN-20261125-0001"}
    assert {o["placement"]["adcode"] for o in orders} == {"330106"}  # 西湖区, 杭州
    aircon = next(o for o in orders if o["trade"] == "aircon")
    assert [i["sku"] for i in aircon["items"]] == ["AC-KFR35"]
    assert "aircon" in aircon["skills"]


@pytest.mark.parametrize(("content", "expected"), [
    (b'{"platform": "own", ', "malformed JSON"),
    (json.dumps({**OWN_ORDER, "customer_phone": None}).encode(), "customer_phone"),
    ("订单".encode("utf-16"), "UTF-8"),
])
def test_convert_refuses_an_unusable_payload_with_one_line_and_exit_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, expected: str
) -> None:
    payload = tmp_path / "bad.json"
    payload.write_bytes(content)
    code, out, err = _run(["intake", "convert", "--platform", "own", str(payload)], capsys)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert expected in err


def test_convert_without_a_traceback_as_a_process(tmp_path: Path) -> None:
    payload = tmp_path / "bad.json"
    payload.write_text("[1, 2", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "console.cli", "intake", "convert", "--platform", "own",
         str(payload)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "malformed JSON" in done.stderr


def test_convert_names_an_unknown_platform(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = _run(["intake", "convert", "--platform", "pinduoduo", "x.json"], capsys)
    assert code == 2
    assert "unknown platform 'pinduoduo'" in err or "cannot read" in err


def test_locate_uses_hints_for_an_ambiguous_district(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["regions", "locate", "朝阳区人民大街 1 号", "--city", "长春市"], capsys)
    assert code == 0
    result = json.loads(out)
    assert result["adcode"] == "220104"
    assert result["city"] == "长春市"
    assert set(result) >= {"adcode", "province", "city", "county", "lng", "lat", "confidence"}


def test_locate_reads_json_lines_and_answers_in_order(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [
        {"address": "北京市朝阳区建国路 88 号"},
        {"address": "朝阳区人民大街 1 号", "province": "吉林省", "city": "长春"},
        "not json",
        {"address": "浙江杭州西湖区文三路 1 号"},
    ]
    text = "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)
                     for x in lines) + "\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    code, out, _ = _run(["regions", "locate", "-"], capsys)
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 1  # one line was malformed
    assert [r.get("adcode") for r in results] == ["110105", "220104", None, "330106"]
    assert results[2] == {"line": 3, "error": "malformed JSON"}


def test_json_output_escapes_what_a_terminal_would_act_on() -> None:
    # A C1 CSI (U+009B), DEL, a bidi override and a line separator in platform text.
    value = {"customer_name": "张\u009b31m三\x7f\u202e\u2028", "note": "a\nb"}
    text = terminal_json(value, indent=2)
    assert not any(char in text for char in "\u009b\x7f\u202e\u2028")
    assert json.loads(text) == value  # the same data, escaped
    assert "张" in text  # Chinese stays readable


def test_convert_problems_quote_platform_text_inert(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    payload = tmp_path / "order.json"
    payload.write_text(json.dumps({**OWN_ORDER, "intent": "\x1b[2J\u202ex"}), encoding="utf-8")
    code, out, err = _run(["intake", "convert", "--platform", "own", str(payload)], capsys)
    assert code == 2 and out == ""
    assert "intent" in err and "\x1b" not in err and "\u202e" not in err
    assert "␛[2J" in err
