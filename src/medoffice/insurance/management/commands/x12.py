"""``medoffice x12 read FILE``: a JSON summary of a 271 (or a 999, 270 or 278 response).

Reads the file with medoffice's own X12 reader, so it needs no database; malformed X12 exits 2
with the reader's plain-words error.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from medoffice.interchange.x12 import (
    X12Error,
    read_270,
    read_271,
    read_278_response,
    read_999,
    summarize_271,
)
from medoffice.interchange.x12.envelope import read_interchanges


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _jsonable(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _transaction_set(text: str) -> str:
    """ST01 of the file's first transaction set, as the envelope reader finds it."""
    interchanges, _ = read_interchanges(text)
    for interchange in interchanges:
        for group in interchange.groups:
            for transaction in group.transactions:
                return transaction.set_id
    return ""


def summarize_file(text: str, service_type: str = "98") -> Any:
    kind = _transaction_set(text)
    if kind == "271":
        found = [summarize_271(r, service_type=service_type) for r in read_271(text)]
    elif kind == "999":
        found = [_jsonable(a) for a in read_999(text)]
    elif kind == "270":
        found = [_jsonable(r) for r in read_270(text)]
    elif kind == "278":
        found = [_jsonable(r) for r in read_278_response(text)]
    else:
        raise X12Error(f"This is not a 270, 271, 278 or 999 file (transaction set {kind or '?'}).")
    return found[0] if len(found) == 1 else found


class Command(BaseCommand):
    help = "Read X12 files: `x12 read FILE` prints a JSON summary (271 benefits, 999 status)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        read = sub.add_parser("read", help="Print a JSON summary of an X12 file.")
        read.add_argument("file", type=Path)
        read.add_argument(
            "--service-type", default="98", help="Service type for the copay (default 98, office)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            text = path.read_text(encoding="utf-8", errors="strict")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}", returncode=2) from None
        try:
            summary = summarize_file(text, options["service_type"])
        except X12Error as exc:
            raise CommandError(f"{path}: {exc.message}", returncode=2) from None
        self.stdout.write(json.dumps(_jsonable(summary), indent=2, sort_keys=True))
