"""``medoffice x12 read FILE`` on public 271/999 samples and on malformed input."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

SHARED = Path(__file__).resolve().parents[5] / "shared" / "fixtures" / "x12"
SAMPLE_271 = SHARED / "linuxforhealth" / "271_005010X279A1" / "subscriber-health-benefit-check.271"
REJECTED_999 = SHARED / "imsweb" / "837_5010" / "x12_999_rejected.txt"
KEYS = {
    "active", "plan", "copay_office_visit", "coinsurance_in_network",
    "deductible_remaining_individual_in_network", "oop_remaining_individual_in_network",
    "rejections",
}  # fmt: skip


def run(path: Path) -> object:
    out = StringIO()
    call_command("x12", "read", str(path), stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture(autouse=True)
def _samples() -> None:
    if not SAMPLE_271.exists():
        pytest.skip(f"the public X12 samples are not at {SHARED}")


def test_a_public_271_prints_the_desk_summary():
    summary = run(SAMPLE_271)
    assert isinstance(summary, dict)
    assert summary.keys() >= KEYS
    assert summary["active"] is True
    assert summary["rejections"] == []


def test_a_999_prints_its_status():
    summary = run(REJECTED_999)
    assert isinstance(summary, dict)
    assert (summary["status"], summary["accepted"]) == ("R", False)


def test_malformed_x12_exits_2_with_the_reason(tmp_path):
    broken = tmp_path / "cut.271"
    broken.write_text(SAMPLE_271.read_text()[:200])
    with pytest.raises(CommandError) as caught:
        call_command("x12", "read", str(broken))
    assert caught.value.returncode == 2
    assert str(broken) in str(caught.value)
