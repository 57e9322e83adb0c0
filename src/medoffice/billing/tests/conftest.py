from __future__ import annotations

from pathlib import Path

import pytest

from medoffice.billing.tests.factories import Office, make_office


@pytest.fixture
def office(db: None) -> Office:
    return make_office()


@pytest.fixture(autouse=True)
def _card_terminal_journal_in_tmp(tmp_path: Path, settings: pytest.FixtureRequest) -> Path:
    """Each test gets its own simulated card processor journal (and the simulator)."""
    directory = tmp_path / "card-terminal"
    settings.MEDOFFICE_CARD_TERMINAL_DIR = directory  # type: ignore[attr-defined]
    settings.MEDOFFICE_CARD_TERMINAL = "simulated"  # type: ignore[attr-defined]
    return directory
