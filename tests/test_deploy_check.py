"""`medoffice check --deploy` is clean with the documented production environment."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

MEDOFFICE = Path(sys.executable).parent / "medoffice"
_DROPPED = {
    "DATABASE_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set for the test run only; check --deploy rightly objects
}


def _production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in _DROPPED and not key.startswith("MEDOFFICE_")
    }
    env.update(
        MEDOFFICE_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(48)[:64],
        ALLOWED_HOSTS="medoffice.example.test",
        MEDOFFICE_DATA_DIR=str(tmp_path),
    )
    env.update(overrides)
    return env


def _run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(MEDOFFICE), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(autouse=True)
def _needs_console_script():
    if not MEDOFFICE.exists():
        pytest.fail(f"console script {MEDOFFICE} is missing: install the project")


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = _production_env(tmp_path)
    assert len(env["SECRET_KEY"]) == 64

    result = _run(env)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "System check identified no issues" in output


def test_production_without_secret_key_refuses_to_start(tmp_path):
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]

    result = _run(env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


def test_production_with_the_development_key_refuses_to_start(tmp_path):
    env = _production_env(tmp_path, SECRET_KEY="insecure-" + "k" * 60)

    result = _run(env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr
