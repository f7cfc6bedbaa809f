"""One simulated world for the simulation's tests (simulated_world.py), built once per run of
the suite by the first worker to ask (two asking at once each simulate it): the days themselves,
the slowest part, are paid once, and the summary's shape and sums, the evidence, the flags, the
review period and the SLA alerts are each what that run recorded.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from simulated_world import Simulated, shared_world


@pytest.fixture(scope="session")
def simulated(tmp_path_factory: pytest.TempPathFactory, testrun_uid: str) -> Iterator[Simulated]:
    base = tmp_path_factory.getbasetemp()
    # Under xdist each worker's folder sits in the run's own; alone, the run's is the base.
    run = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    world = shared_world(run / f"simulated-{testrun_uid}", tmp_path_factory.mktemp("simulated"))
    yield world
    world.engine.dispose()
