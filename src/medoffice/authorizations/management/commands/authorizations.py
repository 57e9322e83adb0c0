"""``medoffice authorizations expire [--date YYYY-MM-DD]``: approved prior authorizations past
their last day become expired (the same as the daily 02:30 job; safe to run twice)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from medoffice.authorizations import services


class Command(BaseCommand):
    help = "Referral and prior-authorization upkeep."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        expire = sub.add_parser("expire", help="Expire approvals past their last day.")
        expire.add_argument("--date", help="Today's date (default: the practice's today).")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = options.get("date")
        try:
            today = dt.date.fromisoformat(raw) if raw else timezone.localdate()
        except ValueError:
            raise CommandError("Give the date as YYYY-MM-DD.") from None
        count = services.expire_authorizations(today)
        self.stdout.write(f"Expired {count} prior authorization(s) ended before {today:%m/%d/%Y}.")
