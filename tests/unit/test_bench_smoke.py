"""The benchmarks run at tiny sizes and end with a sane JSON line (no timing is asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from bench_help import help_of

ROOT = Path(__file__).resolve().parents[2]
TIMING_KEYS = ("p50_ms", "p95_ms")


def run_bench(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", f"bench.{name}", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def figures_of(name: str) -> dict[str, Any]:
    done = run_bench(name, "--quick")
    assert done.returncode == 0, done.stderr[-3000:]
    last = done.stdout.strip().splitlines()[-1]
    figures: dict[str, Any] = json.loads(last)
    assert figures["bench"] == name
    return figures


def assert_positive(values: dict[str, Any], keys: tuple[str, ...]) -> None:
    for key in keys:
        assert isinstance(values[key], int | float) and values[key] > 0, (key, values)


@pytest.mark.parametrize(
    "name", ["queue_endpoint", "queue_model", "propagation", "placement", "intake_throughput",
             "assignment", "routes"])
def test_help_describes_the_benchmark(name: str) -> None:
    assert "--quick" in help_of(name)


def test_queue_endpoint_reports_every_request_against_its_floor() -> None:
    figures = figures_of("queue_endpoint")

    assert figures["backend"] == "sqlite"
    assert figures["load"]["orders"] > 0
    assert set(figures["requests"]) == {
        "first_page", "state", "county", "city", "service_platform", "q_name", "q_short_name",
        "deep_page", "state_changed",
    }
    for request in figures["requests"].values():
        assert_positive(request, (*TIMING_KEYS, "floor_p50_ms", "floor_p95_ms", "ratio_p50",
                                  "ratio_p95", "calls"))
        assert request["plan"] and request["access"].split("+")[0] in {"range", "walk", "FULL"}


def test_queue_model_reports_each_operation_against_its_floor() -> None:
    figures = figures_of("queue_model")

    assert figures["model_rows"] == figures["rows"] > 0
    assert set(figures["phases"]) == {
        "load", "upsert", "filter_state", "filter_text", "sort_customer",
    }
    for phase in figures["phases"].values():
        assert_positive(phase, ("median_ms", "p95_ms", "floor_median_ms", "floor_p95_ms",
                                "ratio"))
    assert_positive(figures, ("filter_qt_callback_median_ms",))


def test_propagation_reports_percentiles_against_the_health_round_trip() -> None:
    figures = figures_of("propagation")

    assert figures["actions"] > 0
    assert_positive(figures["propagation"], TIMING_KEYS)
    assert_positive(figures["action_round_trip"], TIMING_KEYS)
    assert_positive(figures["health_floor"], TIMING_KEYS)
    assert_positive(figures, ("ratio_p50", "ratio_p95"))


def test_placement_reports_accuracy_and_speed_against_cpca() -> None:
    figures = figures_of("placement")

    assert figures["addresses"] > 0
    assert set(figures["styles"]) == {
        "full", "abbreviated", "missing_province", "district_only", "structured"}
    assert 0 <= figures["cpca_accuracy"] <= 100 and 0 <= figures["accuracy"] <= 100
    assert_positive(figures, ("addresses_per_s", "cpca_addresses_per_s", "ratio_speed",
                              "ratio_accuracy"))


def test_assignment_reports_cost_and_time_against_the_exact_optimum() -> None:
    figures = figures_of("assignment")

    assert figures["assigned"] + figures["unassigned"] == figures["orders"] > 0
    assert figures["batch"] + figures["unassigned_nobody"] == figures["orders"]
    assert figures["cost"] >= figures["optimum_cost"]  # never better than the exact optimum
    assert figures["ratio_cost"] >= 1.0
    assert 0 < figures["arcs"] <= figures["eligible_pairs"] and figures["solves"] in (1, 2)
    assert_positive(figures, ("cost", "optimum_cost", "assigned_cost", "seconds",
                              "optimum_seconds", "ratio_time"))


def test_routes_report_cost_and_gap_to_the_best_known() -> None:
    figures = figures_of("routes")

    assert figures["feasible"] is True
    assert figures["gap"] >= 0 and figures["vehicles"] > 0
    assert_positive(figures, ("cost", "best_known", "seconds"))
