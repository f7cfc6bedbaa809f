"""`lastmile calendar show|import` and `lastmile sla due`, run in this process on an SQLite
file (the commands' own entry point, core.services.sla.cli.main, as `lastmile` wires it)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from core.clock import SimulatedClock
from core.services.sla.cli import main

AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
NEXT_YEAR: dict[str, Any] = {"year": 2027, "source": "国务院办公厅关于2027年部分节假日安排的通知",
             "days": [{"date": f"2027-01-0{n}", "kind": "holiday", "name": "元旦"}
                      for n in (1, 2, 3)]}


@pytest.fixture
def lastmile(tmp_path: Path) -> Any:
    url = f"sqlite:///{tmp_path / 'lastmile.db'}"

    def run(*argv: str) -> int:
        return main([*argv, "--database-url", url], clock=SimulatedClock(AT))

    return run


def _lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


def test_show_prints_one_json_line_per_date(lastmile: Any,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert lastmile("calendar", "show", "2026") == 0

    captured = capsys.readouterr()
    days = _lines(captured.out)
    assert len(days) == 365
    assert days[44] == {"date": "2026-02-14", "workday": True, "kind": "adjusted_workday",
                        "name": "春节"}
    assert days[46] == {"date": "2026-02-16", "workday": False, "kind": "holiday",
                        "name": "春节"}
    assert days[66] == {"date": "2026-03-08", "workday": False, "kind": "rest"}
    assert "2026年部分节假日安排的通知" in captured.err and "version 1" in captured.err


def test_show_of_a_year_not_yet_published_says_so_loudly_and_prints_ordinary_days(
        lastmile: Any, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    assert lastmile("calendar", "show", "2027") == 0

    captured = capsys.readouterr()
    assert "尚未发布" in captured.err and "not yet published" in captured.err
    assert any(r.levelname == "WARNING" and "2027" in r.getMessage() for r in caplog.records)
    assert _lines(captured.out)[0] == {"date": "2027-01-01", "workday": True, "kind": "workday"}


def test_import_loads_next_year_and_show_prints_it(lastmile: Any, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "cn-2027.json"
    file.write_text(json.dumps(NEXT_YEAR, ensure_ascii=False), encoding="utf-8")

    assert lastmile("calendar", "import", str(file), "--reason", "通知已发布",
                    "--actor", "ops-li") == 0
    imported = _lines(capsys.readouterr().out)
    assert lastmile("calendar", "show", "2027") == 0

    captured = capsys.readouterr()
    assert imported == [{"year": 2027, "version": 1, "changed": True, "holidays": 3,
                         "adjusted_workdays": 0}]
    assert _lines(captured.out)[0] == {"date": "2027-01-01", "workday": False,
                                       "kind": "holiday", "name": "元旦"}
    assert "ops-li" in captured.err and "尚未发布" not in captured.err


@pytest.mark.parametrize(("days", "words"), [
    ([*NEXT_YEAR["days"], NEXT_YEAR["days"][0]], "days.3.date: 日期重复"),
    ([{"date": "2026-12-31", "kind": "holiday", "name": "元旦"}], "days.0.date"),
    ([{"date": "2027-01-01", "kind": "vacation", "name": "元旦"}], "days.0.kind: 未知类型"),
    ([{"date": "2027-01-01", "kind": "holiday"}], "days.0.name"),
])
def test_import_refuses_a_file_naming_the_field(lastmile: Any, tmp_path: Path, days: Any,
                                                words: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "bad.json"
    file.write_text(json.dumps({**NEXT_YEAR, "days": days}), encoding="utf-8")

    assert lastmile("calendar", "import", str(file), "--reason", "通知已发布") == 2

    assert words in capsys.readouterr().err
    lastmile("calendar", "show", "2027")
    assert "尚未发布" in capsys.readouterr().err


def test_import_over_a_held_year_needs_its_version(lastmile: Any, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "cn-2026.json"
    file.write_text(json.dumps({**NEXT_YEAR, "year": 2026, "days": [
        {"date": "2026-01-01", "kind": "holiday", "name": "元旦"}]}), encoding="utf-8")

    refused = lastmile("calendar", "import", str(file), "--reason", "试一下")
    err = capsys.readouterr().err
    replaced = lastmile("calendar", "import", str(file), "--reason", "更正",
                        "--seen-version", "1")

    assert refused == 2 and "已被他人修改" in err and "current is 1" in err
    assert replaced == 0 and _lines(capsys.readouterr().out)[0]["version"] == 2


@pytest.mark.parametrize(("argv", "due"), [
    (["--from", "2026-02-13T17:59:59+08:00", "--business-hours", "1"],
     "2026-02-14T09:59:59+08:00"),
    (["--from", "2026-02-14T17:00:00+08:00", "--business-hours", "2"],
     "2026-02-24T10:00:00+08:00"),
    (["--from", "2026-02-13T09:59:59+00:00", "--business-hours", "0.5"],
     "2026-02-14T01:29:59+00:00"),
    (["--from", "2026-02-13T18:00:00+08:00", "--business-hours", "0"],
     "2026-02-14T09:00:00+08:00"),
    (["--from", "2026-02-13T19:00:00+08:00", "--business-hours", "2", "--day", "08:30-20:00"],
     "2026-02-14T09:30:00+08:00"),
])
def test_sla_due_prints_the_deadline(lastmile: Any, argv: list[str], due: str,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert lastmile("sla", "due", *argv) == 0

    captured = capsys.readouterr()
    assert _lines(captured.out) == [{"due": due}] and captured.err == ""


def test_sla_due_into_a_year_not_yet_published_warns(lastmile: Any,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert lastmile("sla", "due", "--from", "2026-12-31T17:00:00+08:00",
                    "--business-hours", "2") == 0

    captured = capsys.readouterr()
    assert _lines(captured.out) == [{"due": "2027-01-01T10:00:00+08:00"}]
    assert "2027 年的节假日安排尚未发布" in captured.err


@pytest.mark.parametrize(("argv", "words"), [
    (["--from", "2026-02-13T17:59:59", "--business-hours", "1"], "须带时区"),
    (["--from", "yesterday", "--business-hours", "1"], "不是 ISO 时间"),
    (["--from", "2026-02-13T17:59:59+08:00", "--business-hours", "-1"], "不小于 0"),
    (["--from", "2026-02-13T17:59:59+08:00", "--business-hours", "0.0001"], "整秒"),
    (["--from", "2026-02-13T17:59:59+08:00", "--business-hours", "1", "--day", "18:00-09:00"],
     "开始早于结束"),
])
def test_sla_due_refuses_what_has_no_answer(lastmile: Any, argv: list[str], words: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        lastmile("sla", "due", *argv)

    assert exited.value.code == 2 and words in capsys.readouterr().err


def test_every_command_explains_itself(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["calendar", "show", "--help"], ["calendar", "import", "--help"],
                 ["sla", "due", "--help"]):
        with pytest.raises(SystemExit):
            main(argv)
        assert "--database-url" in capsys.readouterr().out
