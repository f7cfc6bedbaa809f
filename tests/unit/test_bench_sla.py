"""The SLA benchmarks run at a tiny size on SQLite and end with a sane JSON line: the rows they
generate agree with the real rule, the scan records what came due, the board counts the alerts
(no timing is asserted)."""

from __future__ import annotations

from bench import sla_board, sla_scan


def test_the_scan_bench_records_the_alerts_that_came_due() -> None:
    # About ten alerts come due in each minute at this size (a million: a thousand).
    figures = sla_scan.main(["--orders", "10000", "--rounds", "2", "--no-postgres"])

    found = figures["databases"]["sqlite"]
    assert list(figures["databases"]) == ["sqlite"]
    assert found["deadline_rows"] == 3 * 10000 and found["sample_rows_changed"] == 0
    assert found["floor_ms"]["p50"] > 0 and found["idle_round_ms"]["p50"] > 0
    assert min(found["minute_round_ms"]["recorded_per_round"]) > 0


def test_the_board_bench_counts_the_open_alerts() -> None:
    figures = sla_board.main(["--orders", "600", "--no-postgres"])

    found = figures["databases"]["sqlite"]
    assert found["open_recorded_rows"] > 0
    assert found["board_ms"]["p50"] > 0 and found["first_paint_ms"] > 0
