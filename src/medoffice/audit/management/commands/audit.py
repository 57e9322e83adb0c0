"""``medoffice audit verify`` checks the chain; ``medoffice audit checkpoint`` saves its head."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from medoffice.audit import services


class Command(BaseCommand):
    help = "Check the audit trail's hash chain or write its checkpoint."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Check every entry; exit 1 naming the first bad one.")
        sub.add_parser("checkpoint", help="Write the chain head to the checkpoint file now.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "checkpoint":
            data = services.write_checkpoint()
            self.stdout.write(
                f"Checkpoint written: last entry {data['last_id']}, {data['count']} entries."
            )
            return
        result = services.verify_chain()
        if not result.ok:
            raise CommandError(
                f"Audit chain broken at entry {result.first_bad_id}: {result.problem} "
                f"({result.checked} entries checked before it).",
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain intact: {result.checked} entries checked.")
        )
