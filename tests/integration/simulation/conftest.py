"""One simulated world for the simulation's tests (simulated_world.py), built once per test
process: the days themselves, the slowest part, are paid once, and the summary's shape and sums,
the evidence, the flags, the review period and the SLA alerts are each what that run recorded.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from simulated_world import Simulated, simulate_world


@pytest.fixture(scope="session")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulated]:
    world = simulate_world(tmp_path_factory.mktemp("simulated"))
    yield world
    world.engine.dispose()
