"""``medoffice idempotency purge`` deletes stored Idempotency-Key answers older than 24 hours."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from medoffice.api.idempotency import RETENTION, purge_expired


class Command(BaseCommand):
    help = "Manage the stored answers of requests sent with an Idempotency-Key."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("purge", help="Delete stored answers older than 24 hours.")

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_expired()
        hours = int(RETENTION.total_seconds() // 3600)
        self.stdout.write(f"Purged {deleted} idempotency record(s) older than {hours} hours.")
