"""JSON API of the patient registry, mounted at /api/patients/: all the desk does with patients.

Handlers parse, authorize, call ``patients.services`` and render. Search text travels in POST
bodies, never in URLs. Every answer showing patients is audited: reads with ``audit_read``,
searches, lists and duplicate candidates with ``audit_search`` (the ids shown, never the query).
Field errors name the path in the request body ("phones.0.number"), as the validation handler does.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import paginate

from medoffice.api.pagination import MedofficePagination
from medoffice.api.problems import ProblemError
from medoffice.api.security import require
from medoffice.core import crypto, identifiers, phones
from medoffice.patients import api_schemas as s
from medoffice.patients import choices as c
from medoffice.patients import queries, search, services
from medoffice.patients.duplicates import Candidate, find_duplicates
from medoffice.patients.errors import PossibleDuplicates
from medoffice.patients.models import Patient, PatientAlert
from medoffice.patients.rules.duplicates import Person
from medoffice.practice import queries as practice_queries

router = Router(tags=["patients"])

PROBLEMS = "https://medoffice.example/problems/"
REFERENCES = {
    "primary_care_provider_id": "primary_care_provider",
    "referring_provider_id": "referring_provider",
    "guarantor_id": "guarantor",
}
API_NAMES = {service: api for api, service in REFERENCES.items()}
REFERENCED = {"primary_care_provider": "provider", "referring_provider": "referring provider"}
ROWS = ("phones", "addresses", "previous_names", "emergency_contacts")
NOT_FOUND = {404: s.ProblemOut}


# ---- errors ------------------------------------------------------------------------------


def _field(key: str) -> str:
    """The service's error key ("phones.0.number", "guarantor") as a body path."""
    if key == "__all__":
        return ""
    head, dot, rest = key.partition(".")
    return f"{API_NAMES.get(head, head)}{dot}{rest}"


def _invalid(pairs: list[tuple[str, str]]) -> ProblemError:
    errors = [{"field": _field(key), "message": message} for key, message in pairs]
    return ProblemError(
        422, "Invalid input", "Some fields are not valid.", extra={"errors": errors}
    )


def _invalid_from(exc: ValidationError) -> ProblemError:
    if hasattr(exc, "error_dict"):
        return _invalid([(key, m) for key, msgs in exc.message_dict.items() for m in msgs])
    return _invalid([("__all__", m) for m in exc.messages])


def _candidate(found: Candidate) -> dict[str, Any]:
    patient = found.patient
    return {
        "id": patient.pk,
        "mrn": patient.mrn,
        "name": patient.display_name,
        "birth_date": patient.birth_date.isoformat(),
        "points": found.points,
        "reasons": list(found.reasons),
    }


def _shown_candidates(request: HttpRequest, found: list[Candidate]) -> list[dict[str, Any]]:
    """Candidates are other patients' PHI: audit them as a duplicate check."""
    services.audit_search(
        [x.patient.pk for x in found],
        acting_user=request.user,
        kinds=("duplicate-check",),
        source="api",
    )
    return [_candidate(x) for x in found]


def _duplicates_problem(request: HttpRequest, found: list[Candidate]) -> ProblemError:
    return ProblemError(
        409,
        "Possible duplicate patients",
        f"{len(found)} existing record(s) may be the same person. Check them, then send the "
        "registration again with acknowledged_duplicates listing their ids.",
        type_=PROBLEMS + "possible-duplicates",
        extra={"candidates": _shown_candidates(request, found)},
    )


def _patient_or_404(patient_id: int, *, full: bool = True) -> Patient:
    found = (
        queries.get_patient(patient_id) if full else Patient.objects.filter(pk=patient_id).first()
    )
    if found is None:
        raise ProblemError(404, "Not found", f"No patient with id {patient_id}.")
    return found


def _refuse_merged(patient: Patient) -> None:
    if patient.status == c.PatientStatus.MERGED:
        raise ProblemError(
            409,
            "Record merged",
            "This record was merged into another; edit the kept record.",
            type_=PROBLEMS + "merged-record",
            extra={"merged_into": patient.merged_into_id},
        )


# ---- turning the body into the service's keywords ----------------------------------------


def _referenced(attr: str, ref_id: int) -> Any:
    if attr == "primary_care_provider":
        return practice_queries.find_provider(ref_id)
    if attr == "referring_provider":
        return practice_queries.find_referring_provider(ref_id)
    return Patient.objects.filter(pk=ref_id).order_by().first()


def _with_references(data: dict[str, Any]) -> dict[str, Any]:
    """Swap ``*_id`` keys for the records they name; unknown ids answer 422."""
    missing = []
    for api_name, attr in REFERENCES.items():
        if api_name not in data:
            continue
        ref_id = data.pop(api_name)
        data[attr] = None if ref_id is None else _referenced(attr, ref_id)
        if ref_id is not None and data[attr] is None:
            noun = REFERENCED.get(attr, "patient")
            missing.append((attr, f"No {noun} with id {ref_id}."))
    if missing:
        raise _invalid(missing)
    return data


def _check_row_ids(patient: Patient, data: dict[str, Any]) -> None:
    """A row ``id`` must be one of this patient's rows, named once."""
    wrong = []
    for name in ROWS:
        known = {row.pk for row in getattr(patient, name).all()}
        seen: set[int] = set()
        for i, row in enumerate(data.get(name) or []):
            row_id = row.get("id")
            if row_id is not None and (row_id not in known or row_id in seen):
                wrong.append((f"{name}.{i}.id", "Not a row of this record, or listed twice."))
            if row_id is not None:
                seen.add(row_id)
    if wrong:
        raise _invalid(wrong)


# ---- the record --------------------------------------------------------------------------


class AuditedPages(MedofficePagination):
    """The house pagination, auditing the ids on the page it serves (a list shows PHI)."""

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        services.audit_search(
            [p.pk for p in page["items"]], acting_user=request.user, kinds=("list",), source="api"
        )
        return page


@router.get("", response=list[s.PatientSummaryOut], url_name="patients")
@paginate(AuditedPages)
def list_patients(
    request: HttpRequest,
    status: c.PatientStatus | None = None,
    updated_since: dt.datetime | None = None,
) -> Any:
    """Patients by name (merged records only when asked by status); filters carry no PHI."""
    require(request, "patients.view_patient")
    found = queries.list_patients(status=status)
    if updated_since is not None:
        if timezone.is_naive(updated_since):
            updated_since = timezone.make_aware(updated_since)
        found = found.filter(updated_at__gte=updated_since)
    return found.order_by("last_name", "first_name", "birth_date", "pk")


@router.post(
    "",
    response={201: s.PatientOut, 409: s.DuplicatesProblemOut, 422: s.InvalidProblemOut},
)
def register_patient(request: HttpRequest, payload: s.PatientIn, response: HttpResponse) -> Any:
    """Register a patient; 409 lists possible duplicates until they are acknowledged."""
    require(request, "patients.add_patient")
    values = _with_references(payload.model_dump(exclude_unset=True))
    try:
        patient = services.register_patient(acting_user=request.user, **values)
    except ValidationError as exc:
        raise _invalid_from(exc) from None
    except PossibleDuplicates as exc:
        raise _duplicates_problem(request, exc.candidates) from None
    response["Location"] = reverse("api:patient", kwargs={"patient_id": patient.pk})
    return Status(201, _patient_or_404(patient.pk))


@router.get("/{int:patient_id}", response={200: s.PatientOut, **NOT_FOUND}, url_name="patient")
def get_patient(request: HttpRequest, patient_id: int) -> Any:
    """The whole record (SSN as its last four only), with the alert banner; audited."""
    require(request, "patients.view_patient")
    patient = _patient_or_404(patient_id)
    services.audit_read(patient, acting_user=request.user, what="api")
    return patient


@router.patch(
    "/{int:patient_id}",
    response={200: s.PatientOut, 409: s.MergedProblemOut, 422: s.InvalidProblemOut, **NOT_FOUND},
)
def change_patient(request: HttpRequest, patient_id: int, payload: s.PatientPatch) -> Any:
    """Change the fields sent (see ``PatientPatch``); answers the record as it now stands."""
    require(request, "patients.change_patient")
    patient = _patient_or_404(patient_id)
    _refuse_merged(patient)
    data = payload.model_dump(exclude_unset=True)
    _check_row_ids(patient, data)
    try:
        services.update_patient(patient, acting_user=request.user, **_with_references(data))
    except ValidationError as exc:
        raise _invalid_from(exc) from None
    changed = _patient_or_404(patient_id)
    services.audit_read(changed, acting_user=request.user, what="api")
    return changed


# ---- finding patients --------------------------------------------------------------------


def _hit(hit: search.SearchHit) -> dict[str, Any]:
    patient, phone = hit.patient, hit.primary_phone
    return {
        "id": patient.pk,
        "mrn": patient.mrn,
        "status": patient.status,
        "display_name": patient.display_name,
        "birth_date": patient.birth_date,
        "sex": patient.sex,
        "phone": phone.number if phone else "",
        "phone_display": phone.display if phone else "",
        "has_alert": hit.has_alert,
        "matched": hit.matched,
    }


@router.post("/search", response={200: s.SearchOut, 422: s.InvalidProblemOut})
def search_patients(request: HttpRequest, payload: s.SearchIn) -> Any:
    """The desk's search box: a name, "last, first", a birth date, a phone, an MRN, a mix."""
    require(request, "patients.view_patient")
    result = search.search_patients(
        payload.q, limit=payload.limit, include_inactive=payload.include_inactive
    )
    services.audit_search(
        [hit.patient.pk for hit in result.hits],
        acting_user=request.user,
        kinds=result.kinds,
        source="api",
    )
    return {
        "items": [_hit(hit) for hit in result.hits],
        "kinds": list(result.kinds),
        "message": result.message,
    }


@router.post("/duplicates", response={200: s.DuplicatesOut, 422: s.InvalidProblemOut})
def check_duplicates(request: HttpRequest, payload: s.DuplicateCheckIn) -> Any:
    """Records that may be this person, scored as registration does, before anything is saved."""
    require(request, "patients.view_patient")
    ssn = identifiers.ssn_digits(payload.ssn)
    person = Person(
        last=payload.last_name,
        first=payload.first_name,
        birth_date=payload.birth_date,
        other_lasts=frozenset(payload.previous_last_names),
        phones=frozenset(phones.digits10(phones.to_e164(p)) for p in payload.phones),
        ssn_digest=crypto.lookup_digest("ssn", ssn) if ssn else "",
        email=payload.email.lower(),
    )
    exclude = [payload.exclude_id] if payload.exclude_id is not None else []
    found = find_duplicates(person, exclude=exclude)
    return {"candidates": _shown_candidates(request, found)}


# ---- alerts ------------------------------------------------------------------------------


@router.get("/{int:patient_id}/alerts", response={200: list[s.AlertOut], **NOT_FOUND})
def list_alerts(request: HttpRequest, patient_id: int, include_resolved: bool = False) -> Any:
    """Alerts staff entered, newest first (open ones unless ``include_resolved``); audited."""
    require(request, "patients.view_patient")
    patient = _patient_or_404(patient_id, full=False)
    alerts = patient.alerts.order_by("-created_at", "-pk")
    if not include_resolved:
        alerts = alerts.filter(resolved_at__isnull=True)
    services.audit_read(patient, acting_user=request.user, what="api-alerts")
    return list(alerts)


@router.post(
    "/{int:patient_id}/alerts",
    response={201: s.AlertOut, 409: s.MergedProblemOut, 422: s.InvalidProblemOut, **NOT_FOUND},
)
def add_alert(request: HttpRequest, patient_id: int, payload: s.AlertIn) -> Any:
    require(request, "patients.change_patient")
    patient = _patient_or_404(patient_id, full=False)
    _refuse_merged(patient)
    try:
        alert = services.add_alert(patient, acting_user=request.user, **payload.model_dump())
    except ValidationError as exc:
        raise _invalid_from(exc) from None
    return Status(201, alert)


@router.post(
    "/{int:patient_id}/alerts/{int:alert_id}/resolve",
    response={200: s.AlertOut, 409: s.MergedProblemOut, **NOT_FOUND},
)
def resolve_alert(request: HttpRequest, patient_id: int, alert_id: int) -> Any:
    """Take an alert off the banner (kept, with who resolved it and when)."""
    require(request, "patients.change_patient")
    patient = _patient_or_404(patient_id, full=False)
    _refuse_merged(patient)
    alert = PatientAlert.objects.filter(pk=alert_id, patient=patient).first()
    if alert is None:
        raise ProblemError(404, "Not found", f"No alert {alert_id} on this record.")
    return services.resolve_alert(alert, acting_user=request.user)
