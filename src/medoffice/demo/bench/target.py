"""The benchmark's own database, never the user's: a SQLite file under ``var/bench/`` or a
``medoffice_bench_<n>`` database on the PostgreSQL server of ``DATABASE_URL``.

The workload runs in a child process whose ``DATABASE_URL`` points at that database (and whose
audit checkpoint file is its own), so nothing of the user's database is opened, and settings
such as SQLite's pragmas apply exactly as in production.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import psycopg
from django.conf import settings
from django.core.management.base import CommandError

NAME_PREFIX = "medoffice_bench"
STALE_EXIT = 3  # the worker found a database built differently: drop it and build again
_NAME = re.compile(r"^medoffice_bench[a-z0-9_]*$")


@dataclass(frozen=True)
class BenchTarget:
    url: str  # DATABASE_URL of the benchmark database
    name: str  # medoffice_bench_<n>[_s<seed>]
    files: Path  # directory for the build record and the audit checkpoint

    @property
    def vendor(self) -> str:
        return "sqlite" if self.url.startswith("sqlite") else "postgresql"

    @property
    def label(self) -> str:
        if self.vendor == "sqlite":
            return f"SQLite, {self._sqlite_path()}"
        return f"PostgreSQL, database {self._pg_name()}"

    @property
    def build_record(self) -> Path:
        return self.files / f"{self.name}.{self.vendor}.build.json"

    @property
    def checkpoint(self) -> Path:
        return self.files / f"{self.name}.{self.vendor}.audit-checkpoint.json"

    # ---- choosing ------------------------------------------------------------------------------

    @classmethod
    def choose(cls, *, patients: int, seed: int, default_seed: int, url: str = "") -> BenchTarget:
        """The given URL, or one derived from the current database's kind and server."""
        name = f"{NAME_PREFIX}_{patients}" + ("" if seed == default_seed else f"_s{seed}")
        files = Path(settings.DATA_DIR) / "bench"
        if url:
            if url.startswith("sqlite"):  # records beside the file
                files = Path(str(dj_database_url.parse(url)["NAME"])).parent
            target = cls(url, name, files)
        elif str(settings.DATABASES["default"]["ENGINE"]).endswith("sqlite3"):
            target = cls(f"sqlite:///{files / (name + '.sqlite3')}", name, files)
        else:
            parts = urlsplit(os.environ["DATABASE_URL"])
            target = cls(urlunsplit(parts._replace(path="/" + name)), name, files)
        target._refuse_user_database()
        return target

    def _refuse_user_database(self) -> None:
        own = settings.DATABASES["default"]
        if self.vendor == "sqlite":
            if Path(self._sqlite_path()).resolve() == Path(str(own["NAME"])).resolve():
                raise CommandError("The benchmark never runs in the database you work in.")
        elif not _NAME.match(self._pg_name()) or (
            str(own["ENGINE"]).endswith("postgresql") and self._pg_name() == own["NAME"]
        ):
            raise CommandError(f"A benchmark database's name starts with {NAME_PREFIX}.")

    def _sqlite_path(self) -> str:
        return str(dj_database_url.parse(self.url)["NAME"])

    def _pg_name(self) -> str:
        return str(dj_database_url.parse(self.url)["NAME"])

    # ---- creating and dropping -----------------------------------------------------------------

    def _server(self) -> psycopg.Connection:
        config = dj_database_url.parse(self.url)
        return psycopg.connect(
            dbname="postgres",
            host=config.get("HOST") or None,
            port=config.get("PORT") or None,
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
            autocommit=True,
        )

    def ensure(self) -> None:
        self.files.mkdir(parents=True, exist_ok=True)
        if self.vendor == "sqlite":
            Path(self._sqlite_path()).parent.mkdir(parents=True, exist_ok=True)
            return
        with self._server() as server:
            found = server.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [self._pg_name()]
            ).fetchone()
            if not found:
                server.execute(f'CREATE DATABASE "{self._pg_name()}"')

    def drop(self) -> None:
        self.build_record.unlink(missing_ok=True)
        self.checkpoint.unlink(missing_ok=True)
        if self.vendor == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(self._sqlite_path() + suffix).unlink(missing_ok=True)
            return
        with self._server() as server:
            server.execute(f'DROP DATABASE IF EXISTS "{self._pg_name()}" WITH (FORCE)')

    # ---- running the workload ------------------------------------------------------------------

    def run(self, argv: Sequence[str], write: Callable[[str], None]) -> int:
        """Run ``medoffice <argv>`` against this database; its output goes to ``write``."""
        env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "MEDOFFICE_AUDIT_CHECKPOINT_FILE": str(self.checkpoint),
            "PYTHONUNBUFFERED": "1",
        }
        command = [sys.executable, "-m", "medoffice.cli.main", *argv]
        with subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        ) as child:
            assert child.stdout is not None
            for line in child.stdout:
                write(line.rstrip("\n"))
        return child.returncode
