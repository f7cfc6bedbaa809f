"""SLA in the simulation: the deadline scan runs as the simulated clock moves, records each
warning and breach once at its own time and within a scan round of it; the JSON line counts
what the orders' timelines hold, by level and by step, the on-time rate per step of the runs
that finished, and the urges made of the alerts and the stand-ins' answers."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta

from simulated_world import WORLD_PLAN, Simulated
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.simulation.run import START
from core.simulation.sla import SCAN
from core.simulation.sla_report import LEVELS
from core.sla.limit_types import Level, Step
from core.storage.sla.deadlines import SLA_EVENT, SlaDeadlineRecord
from core.storage.sla.outcomes import SlaOutcomeRecord
from core.storage.sla.urges import SlaUrgeRecord
from core.storage.tables import OrderEventRecord

WORD = dict(zip(Level, LEVELS, strict=True))


def _recorded(simulated: Simulated) -> list[SlaDeadlineRecord]:
    with Session(simulated.engine) as session:
        return list(session.scalars(select(SlaDeadlineRecord)
                                    .where(SlaDeadlineRecord.recorded_at.is_not(None))))


def test_the_json_line_counts_the_alerts_on_the_timelines_by_level_and_step(
        simulated: Simulated) -> None:
    alerts = simulated.summary["sla"]["alerts"]
    with Session(simulated.engine) as session:
        events = session.scalars(select(OrderEventRecord.data)
                                 .where(OrderEventRecord.kind == SLA_EVENT)).all()
    counted = Counter((d["step"], WORD[Level(d["level"])]) for d in events)

    assert set(alerts["by_step"]) == {s.value for s in Step}
    assert all(set(levels) == set(LEVELS) for levels in alerts["by_step"].values())
    assert {(s, w): n for s, levels in alerts["by_step"].items()
            for w, n in levels.items() if n} == dict(counted)
    assert alerts["by_level"] == {w: sum(n for (_, lw), n in counted.items() if lw == w)
                                  for w in LEVELS}
    # Two days of orders waiting for a technician: some warn, some breach.
    assert alerts["by_step"]["accept"]["breach"] > 0


def test_each_alert_is_recorded_once_at_its_own_time_within_a_scan_round(
        simulated: Simulated) -> None:
    rows = _recorded(simulated)
    end = START + timedelta(days=WORLD_PLAN.days)
    with Session(simulated.engine) as session:
        events = dict(session.execute(
            select(OrderEventRecord.seq, OrderEventRecord.at)
            .where(OrderEventRecord.kind == SLA_EVENT)).all())

    assert rows and len(rows) == len(events)  # one timeline event per recorded alert
    for row in rows:
        assert row.recorded_at is not None and row.event_seq is not None
        assert events[row.event_seq] == row.at <= row.recorded_at < end
        assert row.recorded_at - row.at <= SCAN


def test_a_breach_was_warned_twice_before_it(simulated: Simulated) -> None:
    runs: defaultdict[tuple[int, str, int], dict[str, datetime]] = defaultdict(dict)
    for row in _recorded(simulated):
        runs[row.order_id, row.step, row.run][row.level] = row.at
    breached = [levels for levels in runs.values() if Level.SEVERE.value in levels]

    assert breached
    for levels in breached:
        assert (levels[Level.NOTICE.value] < levels[Level.WARNING.value]
                < levels[Level.SEVERE.value])


def test_the_on_time_rate_per_step_is_the_finished_runs_and_a_breached_run_is_late(
        simulated: Simulated) -> None:
    on_time = simulated.summary["sla"]["on_time"]
    with Session(simulated.engine) as session:
        outcomes = session.scalars(select(SlaOutcomeRecord)).all()
    breached = {(r.order_id, r.step, r.run) for r in _recorded(simulated)
                if r.level == Level.SEVERE.value}

    assert set(on_time) == {s.value for s in Step}
    for step, line in on_time.items():
        runs = [o for o in outcomes if o.step == step]
        assert line["finished"] == len(runs)
        assert line["on_time"] == sum(o.on_time for o in runs)
        assert line["rate"] == (round(line["on_time"] / len(runs), 4) if runs else None)
    assert on_time["accept"]["finished"] > 0 and on_time["accept"]["rate"] < 1
    finished_late = {(o.order_id, o.step, o.run) for o in outcomes if not o.on_time}
    assert breached & {(o.order_id, o.step, o.run) for o in outcomes} <= finished_late


def test_urges_reach_the_people_within_a_scan_round_and_are_answered(
        simulated: Simulated) -> None:
    line = simulated.summary["sla"]["urges"]
    recorded = {r.id: r for r in _recorded(simulated)}
    with Session(simulated.engine) as session:
        urges = session.scalars(select(SlaUrgeRecord)).all()
    from_alerts = [u for u in urges if u.source == "alert"]

    assert line["urges"] == len(urges) and line["alert"] == len(from_alerts) > 0
    assert line["replied"] == sum(u.reply is not None for u in urges) > 0
    assert simulated.tally.actions["urge_reply"] == line["replied"]
    # Each urge is of one recorded alert, once, made by the round right after its scan.
    assert len({u.deadline_id for u in from_alerts}) == len(from_alerts)
    for urge in from_alerts:
        alert = recorded[urge.deadline_id or 0]
        assert alert.recorded_at is not None
        assert alert.recorded_at <= urge.at <= alert.at + SCAN
        assert urge.replied_at is None or urge.replied_at >= urge.at
