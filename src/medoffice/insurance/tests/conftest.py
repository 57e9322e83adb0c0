"""The payer simulator on loopback, and a clearinghouse row pointing at it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from medoffice.insurance.tests.factories import make_clearinghouse
from medoffice.payer_sim import load_config, start_simulator


@pytest.fixture(scope="session")
def payer_sim() -> Iterator[Any]:
    running = start_simulator(load_config())
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def sim_house(db: Any, payer_sim: Any) -> Any:
    from medoffice.core.identifiers import make_npi
    from medoffice.practice.models import Practice

    Practice.objects.create(name="Lakeside Family Medicine", group_npi=make_npi("123456789"))
    return make_clearinghouse(endpoint_url=payer_sim.url, timeout_seconds=2, retries=0)
