"""Shared pytest helpers for the X12 tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from .factories import SHARED


@pytest.fixture
def shared_x12() -> Path:
    """The public sample files in ../shared/fixtures/x12 (skipped where that folder is absent)."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} (public X12 samples) is not present on this machine")
    return SHARED
