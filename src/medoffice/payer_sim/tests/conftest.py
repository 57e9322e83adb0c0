from __future__ import annotations

from collections.abc import Iterator

import pytest

from medoffice.payer_sim import RunningSimulator, start_simulator
from medoffice.payer_sim.tests.support import simulator_config


@pytest.fixture(scope="module")
def simulator() -> Iterator[RunningSimulator]:
    running = start_simulator(simulator_config())
    yield running
    running.stop()
