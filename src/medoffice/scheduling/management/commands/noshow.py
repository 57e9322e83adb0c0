"""``medoffice noshow fit|score|explain``: the no-show risk model from the command line.

``fit`` refits on the practice's history and prints how well the risks held on the most recent
visits (calibration table, Brier score, AUC) and the coefficients; ``score`` rescores the
coming days; ``explain <appointment id>`` says why one visit scores as it does. Only counts,
rates and ids are printed: never who.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from medoffice.scheduling import noshow
from medoffice.scheduling.models import Appointment


def _day(text: str) -> dt.datetime:
    """The start of a local day (YYYY-MM-DD) as an aware instant."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"Give a date as YYYY-MM-DD, not {text!r}.") from exc
    return dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_current_timezone())


class Command(BaseCommand):
    help = "Fit the no-show risk model, score upcoming visits, or explain one visit's risk."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        fit = actions.add_parser("fit", help="Refit on past visits; print the calibration.")
        fit.add_argument("--until", type=_day, default=None, help="Learn from visits before.")
        fit.add_argument("--l2", type=float, default=1.0, help="Penalty on the coefficients.")
        score = actions.add_parser("score", help="Write the risk of upcoming visits.")
        score.add_argument("--days", type=int, default=noshow.SCORE_DAYS, help="How far ahead.")
        explain = actions.add_parser("explain", help="Why one appointment scores as it does.")
        explain.add_argument("appointment", type=int, help="Appointment id.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "fit":
            self._fit(options["until"], options["l2"])
        elif action == "score":
            now = timezone.now()
            scored = noshow.score_appointments(now, now + dt.timedelta(days=options["days"]))
            self.stdout.write(f"Scored {scored:,} upcoming visits.")
        else:
            self._explain(options["appointment"])

    def _fit(self, until: dt.datetime | None, l2: float) -> None:
        fitted = noshow.fit_no_show_model(until=until, l2=l2)
        if fitted is None:
            self.stdout.write(
                f"Not enough history to fit a model (needs {noshow.MIN_SAMPLES} past visits "
                "checked out or missed, with no-shows among both the older and the latest)."
            )
            return
        model = fitted.model
        self.stdout.write(
            f"Fitted on {fitted.trained_on:,} visits; checked on the latest "
            f"{fitted.held_out:,} (base rate {model.base_rate:.1%})."
        )
        self.stdout.write(f"\n{'risk band':<10} {'predicted':>9} {'observed':>9} {'visits':>7}")
        for band in model.calibration:
            self.stdout.write(
                f"{band['band']:<10} {band['predicted']:>9.1%} {band['observed']:>9.1%} "
                f"{band['count']:>7,}"
            )
        self.stdout.write(
            f"\nBrier score {fitted.brier:.4f} (the base rate alone: "
            f"{fitted.brier_base_rate:.4f}); AUC {fitted.auc:.3f}."
        )
        if not fitted.activated:
            self.stdout.write(
                "Not activated: it does not beat the base rate; the previous model stays in use."
            )
        self.stdout.write(f"\n{'feature':<24} {'coefficient':>11}")
        self.stdout.write(f"{'(intercept)':<24} {model.intercept:>+11.3f}")
        ranked = sorted(model.coefficients.items(), key=lambda item: -abs(item[1]))
        for name, value in ranked:
            self.stdout.write(f"{name:<24} {value:>+11.3f}")

    def _explain(self, appointment_id: int) -> None:
        appointment = Appointment.objects.filter(pk=appointment_id).first()
        if appointment is None:
            raise CommandError(f"No appointment {appointment_id}.")
        words = noshow.explain(appointment)
        risk = appointment.no_show_risk
        shown = f"{float(risk):.0%}" if risk is not None else "not scored"
        self.stdout.write(f"Appointment {appointment_id}: risk {shown}.")
        self.stdout.write("; ".join(words) if words else "(no fitted model)")
