"""Runs linuxforhealth-x12 (an independent 270/271 reader, in its own .venv-x12) on our files.

``scripts/install-x12-validators.sh`` creates .venv-x12. Without it the tests skip with the
reason, except under CI=true, where a missing validator is a failure.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[5]
PYTHON = ROOT / ".venv-x12" / "bin" / "python"
PROGRAM = """
import sys
from linuxforhealth.x12.io import X12ModelReader
with X12ModelReader(sys.argv[1]) as reader:
    models = list(reader.models())
print(len(models))
"""


def unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the X12 validator tests must run)")
    pytest.skip(reason)


def require_validator() -> None:
    if not PYTHON.exists():
        unavailable(f"{PYTHON} is missing: run scripts/install-x12-validators.sh")
    check = subprocess.run(
        [str(PYTHON), "-c", "import linuxforhealth.x12.io"], capture_output=True, timeout=60
    )
    if check.returncode != 0:
        unavailable("linuxforhealth-x12 does not import in .venv-x12")


def validate(text: str, tmp_path: Path, name: str = "file.x12") -> tuple[bool, str]:
    """(valid, what the validator said) for ``text``."""
    require_validator()
    path = tmp_path / name
    path.write_text(text)
    result = subprocess.run(
        [str(PYTHON), "-c", PROGRAM, str(path)], capture_output=True, text=True, timeout=120
    )
    output = (result.stdout + result.stderr).strip()
    return result.returncode == 0 and output.splitlines()[-1:] != ["0"], output
