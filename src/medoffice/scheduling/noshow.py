"""No-show risk: a transparent model fitted on the practice's own history, and its scores.

``fit_no_show_model`` learns from past visits that ended checked out or as no-shows: the
oldest 80 % (by start time) fit a logistic regression over ``rules.noshow_features``; the most
recent 20 % are held out to measure it (Brier score, AUC, calibration bands), as it would be
used: on visits after the ones it learned from. The fitted model becomes the active
``NoShowModel``. ``score_appointments`` writes ``Appointment.no_show_risk`` on upcoming visits,
``explain`` says in words why one visit scores as it does, and a nightly job refits and
rescores.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from medoffice.jobs.registry import job
from medoffice.jobs.schedule import daily
from medoffice.scheduling.choices import AppointmentStatus
from medoffice.scheduling.models import Appointment, AppointmentType, NoShowModel
from medoffice.scheduling.rules import noshow_features as nf
from medoffice.scheduling.rules import noshow_fit

S = AppointmentStatus
OUTCOMES = (S.CHECKED_OUT, S.NO_SHOW)
UPCOMING = (S.BOOKED, S.CONFIRMED)
HOLDOUT_SHARE = 0.2
MIN_SAMPLES = 200
SCORE_DAYS = 60  # the nightly job rescores this far ahead
CHUNK = 2_000
FIELDS = (
    "pk",
    "patient_id",
    "starts_at",
    "booked_at",
    "appointment_type__code",
    "appointment_type__new_patients_only",
    "location__time_zone",
)


@dataclass(frozen=True)
class FitResult:
    model: NoShowModel
    trained_on: int
    held_out: int
    brier: float
    brier_base_rate: float  # what always predicting the base rate would score
    auc: float

    @property
    def activated(self) -> bool:
        return self.model.active


def _facts(row: dict[str, Any], prior: tuple[int, int]) -> nf.VisitFacts:
    zone = zoneinfo.ZoneInfo(row["location__time_zone"])
    return nf.VisitFacts(
        starts_local=row["starts_at"].astimezone(zone),
        lead_days=nf.lead_days(row["booked_at"], row["starts_at"]),
        type_code=row["appointment_type__code"],
        new_patient=bool(row["appointment_type__new_patients_only"]),
        prior_no_shows=prior[0],
        prior_kept=prior[1],
    )


def _matrix(
    facts: Sequence[nf.VisitFacts], common: Sequence[str], names: Sequence[str]
) -> noshow_fit.Floats:
    column = {name: i for i, name in enumerate(names)}
    x = np.zeros((len(facts), len(names)))
    for row, one in enumerate(facts):
        for name, value in nf.features(one, common).items():
            if name in column:
                x[row, column[name]] = value
    return x


def _history(until: dt.datetime) -> tuple[list[nf.VisitFacts], noshow_fit.Floats]:
    rows = list(
        Appointment.objects.filter(status__in=OUTCOMES, starts_at__lt=until)
        .order_by("starts_at", "pk")
        .values(*FIELDS, "status")
        .iterator(chunk_size=CHUNK)
    )
    missed = [row["status"] == S.NO_SHOW for row in rows]
    priors = nf.running_priors(
        [
            (row["patient_id"], row["starts_at"], flag)
            for row, flag in zip(rows, missed, strict=True)
        ]
    )
    facts = [_facts(row, prior) for row, prior in zip(rows, priors, strict=True)]
    return facts, np.array(missed, dtype=np.float64)


def _feature_names(facts: Sequence[nf.VisitFacts], common: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    for one in facts:
        seen.update(nf.features(one, common))
    return sorted(seen)


@transaction.atomic
def fit_no_show_model(until: dt.datetime | None = None, *, l2: float = 1.0) -> FitResult | None:
    """Fit on visits that started before ``until`` (default now); None with too little history
    (fewer than ``MIN_SAMPLES`` visits, or no no-show on either side of the split). The new model
    replaces the active one only when it beats the base rate on the held-out visits."""
    until = until or timezone.now()
    facts, y = _history(until)
    if len(facts) < MIN_SAMPLES:
        return None
    cut = int(len(facts) * (1 - HOLDOUT_SHARE))
    train, test = facts[:cut], facts[cut:]
    if not 0 < y[:cut].sum() < cut or not 0 < y[cut:].sum() < len(test):
        return None
    common = nf.common_types([f.type_code for f in train])
    names = _feature_names(train, common)
    fitted = noshow_fit.fit_logistic(_matrix(train, common, names), y[:cut], names, l2=l2)
    p = noshow_fit.predict(fitted, _matrix(test, common, names), names)
    base = np.full(len(test), float(y[:cut].mean()))
    brier, brier_base = noshow_fit.brier(p, y[cut:]), noshow_fit.brier(base, y[cut:])
    better = brier < brier_base  # a model no better than the base rate is kept, not used
    if better:
        NoShowModel.objects.filter(active=True).update(active=False)
    model = NoShowModel.objects.create(
        active=better,
        fitted_at=timezone.now(),
        samples=cut,
        base_rate=round(float(y.mean()), 4),
        intercept=fitted.intercept,
        coefficients=fitted.coefficients,
        calibration=noshow_fit.calibration(p, y[cut:]),
    )
    return FitResult(
        model=model,
        trained_on=cut,
        held_out=len(test),
        brier=brier,
        brier_base_rate=brier_base,
        auc=noshow_fit.auc(p, y[cut:]),
    )


def active_model() -> NoShowModel | None:
    return NoShowModel.objects.filter(active=True).order_by("-fitted_at", "-pk").first()


def _common(model: NoShowModel) -> list[str]:
    """The types the model has a feature of its own for."""
    return sorted(
        k.removeprefix("type_")
        for k in model.coefficients
        if k.startswith("type_") and k != nf.OTHER_TYPE
    )


def _histories(
    patients: Iterable[int], before: dt.datetime
) -> dict[int, tuple[list[dt.datetime], list[bool]]]:
    """Each patient's past outcomes (start times sorted, missed or not)."""
    found: dict[int, tuple[list[dt.datetime], list[bool]]] = defaultdict(lambda: ([], []))
    ids = sorted(set(patients))
    for start in range(0, len(ids), CHUNK):
        rows = (
            Appointment.objects.filter(
                patient_id__in=ids[start : start + CHUNK],
                status__in=OUTCOMES,
                starts_at__lt=before,
            )
            .order_by("patient_id", "starts_at")
            .values_list("patient_id", "starts_at", "status")
        )
        for patient, starts_at, status in rows:
            found[patient][0].append(starts_at)
            found[patient][1].append(status == S.NO_SHOW)
    return found


def _risk(value: float) -> Decimal:
    return Decimal(f"{min(max(value, 0.0), 1.0):.3f}")


def _aware(value: dt.datetime | dt.date) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time(), tzinfo=timezone.get_current_timezone())


def score_appointments(
    start: dt.datetime | dt.date, end: dt.datetime | dt.date, *, model: NoShowModel | None = None
) -> int:
    """Write the risk of every upcoming (booked or confirmed) visit starting in [start, end);
    returns how many were scored (0 without a fitted model)."""
    model = model or active_model()
    if model is None:
        return 0
    rows = list(
        Appointment.objects.filter(
            status__in=UPCOMING, starts_at__gte=_aware(start), starts_at__lt=_aware(end)
        ).values(*FIELDS)
    )
    if not rows:
        return 0
    histories = _histories((row["patient_id"] for row in rows), _aware(end))
    common = _common(model)
    scored = []
    for row in rows:
        prior = nf.prior_outcomes(histories, row["patient_id"], row["starts_at"])
        values = nf.features(_facts(row, prior), common)
        risk = nf.probability(model.coefficients, model.intercept, values)
        scored.append(Appointment(pk=row["pk"], no_show_risk=_risk(risk)))
    with transaction.atomic():
        Appointment.objects.bulk_update(scored, ["no_show_risk"], batch_size=500)
    return len(scored)


def explain(
    appointment: Appointment, *, model: NoShowModel | None = None, top: int = 3
) -> list[str]:
    """Why this visit's risk is what it is: its strongest features, in words, with direction."""
    model = model or active_model()
    if model is None:
        return []
    row = Appointment.objects.filter(pk=appointment.pk).values(*FIELDS).get()
    histories = _histories([row["patient_id"]], row["starts_at"])
    facts = _facts(row, nf.prior_outcomes(histories, row["patient_id"], row["starts_at"]))
    names = dict(AppointmentType.objects.values_list("code", "name"))
    return nf.explain(model.coefficients, facts, _common(model), names, top=top)


@daily(at="02:30")
@job
def refit_no_show_model() -> None:
    """Nightly: refit on yesterday's history and rescore the coming weeks (idempotent)."""
    now = timezone.now()
    if fit_no_show_model(until=now) is not None:
        score_appointments(now, now + dt.timedelta(days=SCORE_DAYS))
