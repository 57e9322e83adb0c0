"""``medoffice demo``: fill an empty database with the synthetic Riverbend Family Health."""

from __future__ import annotations

import os
import random
import secrets
from argparse import ArgumentTypeError
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from medoffice.accounts.choices import Role
from medoffice.demo import authorizations as authorizations_demo
from medoffice.demo import billing as billing_demo
from medoffice.demo import frontdesk as frontdesk_demo
from medoffice.demo import insurance as insurance_demo
from medoffice.demo.steps import LOGINS, STEPS, DemoContext
from medoffice.practice import queries as practice_queries

URL = "http://127.0.0.1:8000/"
DEFAULT_PATIENTS = 2000
DEFAULT_APPOINTMENT_DAYS = 91


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ArgumentTypeError("give 0 or more")
    return value


def _password_matches(password: str) -> bool:
    """Show a given password only if it really is the demo logins' password."""
    user = get_user_model().objects.filter(username=LOGINS[0]["username"]).first()
    return bool(user and user.check_password(password))


class Command(BaseCommand):
    help = (
        "Create a synthetic demo practice with providers, staff logins and patients (no real PHI)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="Seed (same seed, same data).")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if a practice already exists."
        )
        parser.add_argument("--password", default=None, help="Password for every demo login.")
        parser.add_argument(
            "--patients",
            type=_count,
            default=DEFAULT_PATIENTS,
            help=f"Synthetic patients to add (default {DEFAULT_PATIENTS:,}; 0 for none).",
        )
        parser.add_argument(
            "--appointment-days",
            type=_count,
            default=DEFAULT_APPOINTMENT_DAYS,
            help=(
                "Book appointments this many days back and ahead of today "
                f"(default {DEFAULT_APPOINTMENT_DAYS}; 0 for none; needs patients)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        given = options["password"] or os.environ.get("MEDOFFICE_DEMO_PASSWORD") or None
        if practice_queries.get_practice() is not None:
            if not options["if_empty"]:
                raise CommandError("A practice already exists; use --if-empty to skip quietly.")
            self.stdout.write("Demo practice already present.")
            rows = [
                (s["username"], f"{s['first_name']} {s['last_name']}", Role(s["role"]).label)
                for s in LOGINS
            ]
            self._print_logins(rows, given if given and _password_matches(given) else None)
            return
        password = given or secrets.token_urlsafe(12)
        rng = random.Random(options["seed"])  # noqa: S311 - synthetic data, not secrets
        ctx = DemoContext(
            seed=options["seed"],
            password=password,
            rng=rng,
            patients=options["patients"],
            appointment_days=options["appointment_days"],
        )
        with transaction.atomic():
            for step in STEPS:
                step(ctx)
            desk = frontdesk_demo.populate(ctx)
            covered = insurance_demo.populate(ctx)
            authorized = authorizations_demo.seed_authorizations(
                rng=ctx.rng, today=ctx.today or timezone.localdate()
            )
            money = billing_demo.populate(ctx)
        self.stdout.write(self.style.SUCCESS(f"Created demo practice {ctx.practice}."))
        self._print_patients(ctx)
        self._print_appointments(ctx)
        self._print_desk(desk)
        self._print_insurance(covered)
        self.stdout.write(
            "Referrals and authorizations: "
            + ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in authorized.items())
            + "."
        )
        self._print_billing(money)
        self._print_intake(ctx)
        self._print_logins(ctx.logins, password)

    def _print_patients(self, ctx: DemoContext) -> None:
        loaded = ctx.loaded
        if loaded is None:
            self.stdout.write("Created 0 patients.")
            return
        self.stdout.write(
            f"Created {loaded.patients:,} patients ({loaded.alerts} alerts, "
            f"{len(loaded.duplicate_pairs)} deliberate near-duplicates) in "
            f"{loaded.seconds_total:.1f} s; bulk import {loaded.import_rate:,.0f} patients/s."
        )

    def _print_appointments(self, ctx: DemoContext) -> None:
        booked = ctx.booked
        if booked is None:
            self.stdout.write("Booked 0 appointments.")
            return
        statuses = ", ".join(
            f"{n:,} {s.replace('_', ' ')}" for s, n in sorted(booked.statuses.items())
        )
        self.stdout.write(
            f"Booked {booked.appointments:,} appointments ({booked.past:,} past, "
            f"{booked.ahead:,} ahead; {booked.per_weekday:.0f} per weekday): {statuses}; "
            f"{booked.overbooks} overbooks, {booked.series} series, "
            f"{booked.waitlist} waitlist entries."
        )
        fitted = booked.model
        if fitted is None:
            self.stdout.write("No-show model: not enough history to fit one.")
            return
        self.stdout.write(
            f"No-show model: fitted on {fitted.trained_on:,} visits, checked on the latest "
            f"{fitted.held_out:,}: Brier {fitted.brier:.4f} (base rate alone "
            f"{fitted.brier_base_rate:.4f}), AUC {fitted.auc:.2f}; "
            f"{booked.scored:,} upcoming visits scored."
        )

    def _print_intake(self, ctx: DemoContext) -> None:
        made = ctx.intake
        if made is None or not made.signed:
            self.stdout.write("Intake: standard forms ready; no signed forms.")
            return
        self.stdout.write(
            f"Intake: {made.signed} signed forms ({made.reviewed} reviewed, "
            f"{made.pending_review} waiting for review); {made.new_patients_tomorrow} of "
            "tomorrow's patients are new and owe the whole set."
        )

    def _print_insurance(self, made: insurance_demo.InsuranceDemo) -> None:
        self.stdout.write(
            f"Insurance: {made.coverages} coverages ({made.uninsured} patients uninsured), "
            f"{made.checks} eligibility checks answered by the payer simulator."
        )
        if made.flagged:
            self.stdout.write(
                "Next business day's eligibility flags: " + "; ".join(made.flagged) + "."
            )
        self.stdout.write(f"Payer simulator members: {made.config_path}")

    def _print_billing(self, made: billing_demo.BillingDemo) -> None:
        if not made.entries:
            return
        self.stdout.write(
            f"Billing: {made.entries:,} ledger entries, {made.payments:,} payments, "
            f"{made.closed_days} past days closed ({made.drawers_counted} drawers counted), "
            f"{made.plans} payment plans, {made.statements} statements last month; today: "
            f"drawers open, {made.today_payments} copays taken, {made.refunds} refunds approved."
        )

    def _print_desk(self, desk: frontdesk_demo.DeskDemo) -> None:
        self.stdout.write(
            f"Front desk: {desk.checked_in_today} patients checked in today, "
            f"{desk.past_check_ins:,} past check-ins with timelines, {desk.notes} excuse notes."
        )
        for name, path in desk.screens.items():
            self.stdout.write(f"Waiting-room screen for {name}: {URL.rstrip('/')}{path}")

    def _print_logins(self, rows: list[tuple[str, str, str]], password: str | None) -> None:
        self.stdout.write("")
        self.stdout.write(f"{'Login':<12} {'Name':<18} {'Role':<14}")
        self.stdout.write(f"{'-' * 12} {'-' * 18} {'-' * 14}")
        for username, name, role in rows:
            self.stdout.write(f"{username:<12} {name:<18} {role:<14}")
        shown = password or "(unchanged; set when the demo was created)"
        self.stdout.write(f"\nPassword for every login: {shown}")
        self.stdout.write(f"Open {URL}")
