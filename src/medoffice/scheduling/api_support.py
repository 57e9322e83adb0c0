"""What the scheduling API's handlers share: records named by id, problem answers, audit.

Records of other contexts are found through the appointment's own foreign keys (no import of
their models). Problems never show another patient: a conflict names its appointment, its time and
its provider only. Lists and reads are audited with the patient ids shown, never names.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from medoffice.api.pagination import MedofficePagination
from medoffice.api.problems import ProblemError
from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.scheduling import queries
from medoffice.scheduling.choices import HOLDING_TIME
from medoffice.scheduling.errors import BookingRefused, InvalidTransition, SlotUnavailable
from medoffice.scheduling.models import Appointment

PROBLEMS = "https://medoffice.example/problems/"
NOUNS = {
    "patient": "patient",
    "provider": "provider",
    "location": "location",
    "appointment_type": "appointment type",
}


# ---- records named by id -----------------------------------------------------------------


def find(kind: str, pk: int) -> Any:
    """The patient, provider, location or appointment type with that id, or None."""
    return _model(kind)._default_manager.filter(pk=pk).order_by().first()


def _model(kind: str) -> type[Model]:
    """The model an appointment's foreign key points at (another context's, not imported)."""
    return cast("type[Model]", Appointment._meta.get_field(kind).related_model)


def resolve(wanted: dict[str, tuple[str, int | None]]) -> dict[str, Any]:
    """``{field: (kind, id)}`` -> ``{kind: record}``; unknown ids answer one 422 naming each."""
    found: dict[str, Any] = {}
    missing = []
    for field, (kind, pk) in wanted.items():
        if pk is None:
            continue
        found[kind] = find(kind, pk)
        if found[kind] is None:
            missing.append((field, f"No {NOUNS[kind]} with id {pk}."))
    if missing:
        raise invalid(missing)
    return found


def time_zones(location_ids: Iterable[int]) -> dict[int, str]:
    """Each location's time zone, in one query."""
    rows = _model("location")._default_manager.filter(pk__in=set(location_ids))
    return dict(rows.values_list("pk", "time_zone"))


def find_appointment(appointment_id: int) -> Appointment | None:
    return Appointment.objects.filter(pk=appointment_id).first()


def appointment_or_404(appointment_id: int) -> Appointment:
    found = find_appointment(appointment_id)
    if found is None:
        raise ProblemError(404, "Not found", f"No appointment with id {appointment_id}.")
    return found


# ---- problems ----------------------------------------------------------------------------


def invalid(pairs: Iterable[tuple[str, str]]) -> ProblemError:
    errors = [{"field": field, "message": message} for field, message in pairs]
    return ProblemError(
        422, "Invalid input", "Some fields are not valid.", extra={"errors": errors}
    )


def invalid_from(exc: ValidationError) -> ProblemError:
    if hasattr(exc, "error_dict"):
        return invalid((k, m) for k, messages in exc.message_dict.items() for m in messages)
    return invalid(("", m) for m in exc.messages)


def refused(exc: BookingRefused) -> ProblemError:
    message = str(exc)
    return ProblemError(
        422,
        "Booking refused",
        message,
        type_=PROBLEMS + "booking-refused",
        extra={"errors": [{"field": "", "message": message}]},
    )


def not_now(exc: InvalidTransition) -> ProblemError:
    return ProblemError(409, "Not possible now", str(exc), type_=PROBLEMS + "invalid-transition")


def slot_problem(
    exc: SlotUnavailable,
    *,
    provider_id: int,
    starts_at: dt.datetime,
    minutes: int,
    time_zone: str,
    exclude: int | None = None,
) -> ProblemError:
    """409 naming the appointments in the way.

    When the database refused a racing booking, the service knows no conflicts: the winner is
    committed by then, so it is looked up here.
    """
    conflicts = exc.conflicts or _in_the_way(provider_id, starts_at, minutes, exclude)
    zone = zoneinfo.ZoneInfo(time_zone)
    return ProblemError(
        409,
        "Slot unavailable",
        exc.message,
        type_=PROBLEMS + "slot-unavailable",
        extra={
            "conflicts": [
                {
                    "id": other.pk,
                    "starts_at": other.starts_at.astimezone(zone),
                    "ends_at": other.ends_at.astimezone(zone),
                    "provider_id": other.provider_id,
                }
                for other in conflicts
            ]
        },
    )


def _in_the_way(
    provider_id: int, starts_at: dt.datetime, minutes: int, exclude: int | None
) -> list[Appointment]:
    ends_at = starts_at + dt.timedelta(minutes=minutes)
    overlapping = Appointment.objects.filter(
        queries.overlapping(starts_at, ends_at),
        provider_id=provider_id,
        status__in=HOLDING_TIME,
        overbook=False,
    )
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude)
    return list(overlapping.order_by("starts_at", "pk")[:5])


# ---- audit -------------------------------------------------------------------------------


def audit_shown(
    items: Iterable[Any], *, acting_user: Any, target_type: str = "scheduling.appointment"
) -> None:
    """A list of appointments (or waitlist entries) shows who is seen when: record the ids
    shown, never names."""
    shown = list(items)
    record(
        AuditAction.SEARCH,
        actor=acting_user,
        target_type=target_type,
        detail={
            "shown": list(dict.fromkeys(item.patient_id for item in shown)),
            "ids": [item.pk for item in shown],
            "count": len(shown),
            "source": "api",
        },
    )


def audit_read(appointment: Appointment, *, acting_user: Any) -> None:
    record(
        AuditAction.READ,
        actor=acting_user,
        target=appointment,
        patient_id=appointment.patient_id,
        detail={"what": "api"},
    )


class AuditedPages(MedofficePagination):
    """The house pagination, auditing the records on the page it serves (a list shows PHI)."""

    target_type = "scheduling.appointment"

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        audit_shown(page["items"], acting_user=request.user, target_type=self.target_type)
        return page


class AuditedWaitlistPages(AuditedPages):
    target_type = "scheduling.waitlistentry"
