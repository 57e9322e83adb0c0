"""Insurance API: payers and their plans (the practice's address book: no PHI, reads not audited).

Handlers parse, authorize, call ``services.payers`` and render. Field problems answer 422 with
``errors`` naming the body field, unknown records 404, all as problem details.

No ``from __future__ import annotations`` here: ninja evaluates the annotations of a handler
wrapped by ``@paginate`` in the pagination module's namespace.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router, Status
from ninja.pagination import paginate

from medoffice.api.pagination import MedofficePagination
from medoffice.api.problems import ProblemError
from medoffice.api.security import require
from medoffice.insurance import api_schemas_coverage as s
from medoffice.insurance.choices import PlanType
from medoffice.insurance.errors import InsuranceRefused
from medoffice.insurance.models import Clearinghouse, InsurancePlan, Payer
from medoffice.insurance.services import payers as services

router = Router(tags=["insurance"])

VIEW = "insurance.view_payer"
ADD = "insurance.add_payer"
CHANGE = "insurance.change_payer"
PROBLEMS = "https://medoffice.example/problems/"
NOT_FOUND: dict[int, Any] = {404: s.ProblemOut}
INVALID: dict[int, Any] = {422: s.InvalidProblemOut}
API_NAMES = {
    "clearinghouse": "clearinghouse_id",
    "plan": "plan_id",
    "payer": "payer_id",
    "subscriber_patient": "subscriber_patient_id",
}


def invalid(pairs: list[tuple[str, str]]) -> ProblemError:
    errors = [{"field": API_NAMES.get(key, key), "message": m} for key, m in pairs]
    return ProblemError(
        422, "Invalid input", "Some fields are not valid.", extra={"errors": errors}
    )


def invalid_from(exc: ValidationError) -> ProblemError:
    if hasattr(exc, "error_dict"):
        return invalid([(k, m) for k, msgs in exc.message_dict.items() for m in msgs])
    return invalid([("", m) for m in exc.messages])


def refused(exc: InsuranceRefused) -> ProblemError:
    return ProblemError(409, "Refused", exc.message, type_=PROBLEMS + "insurance-refused")


def _payer_or_404(payer_id: int) -> Payer:
    plans = Prefetch("plans", queryset=InsurancePlan.objects.order_by("name"))
    found = Payer.objects.prefetch_related(plans).filter(pk=payer_id).first()
    if found is None:
        raise ProblemError(404, "Not found", f"No payer with id {payer_id}.")
    return found


def _clearinghouse(data: dict[str, Any]) -> dict[str, Any]:
    """``clearinghouse_id`` in the body becomes the record; an unknown id answers 422."""
    if "clearinghouse_id" not in data:
        return data
    ref = data.pop("clearinghouse_id")
    data["clearinghouse"] = None if ref is None else Clearinghouse.objects.filter(pk=ref).first()
    if ref is not None and data["clearinghouse"] is None:
        raise invalid([("clearinghouse", f"No clearinghouse with id {ref}.")])
    return data


@router.get("/payers", response=list[s.PayerOut], url_name="insurance-payers")
@paginate(MedofficePagination)
def list_payers(
    request: HttpRequest, q: str = "", include_inactive: bool = False
) -> QuerySet[Payer]:
    """Payers by name; ``q`` matches words of the name or the exact payer ID."""
    require(request, VIEW)
    rows = Payer.objects.all() if include_inactive else Payer.objects.filter(active=True)
    for word in q.split()[:5]:
        rows = rows.filter(Q(name__icontains=word) | Q(payer_id__iexact=word))
    return rows.order_by("name", "pk")


@router.post("/payers", response={201: s.PayerDetailOut, **INVALID}, url_name="insurance-payer-add")
def add_payer(request: HttpRequest, payload: s.PayerIn, response: HttpResponse) -> Any:
    require(request, ADD)
    data = _clearinghouse(payload.model_dump())
    try:
        payer = services.add_payer(acting_user=request.user, **data)
    except ValidationError as exc:
        raise invalid_from(exc) from None
    response["Location"] = reverse("api:insurance-payer", kwargs={"payer_id": payer.pk})
    return Status(201, _payer_or_404(payer.pk))


@router.get(
    "/payers/{int:payer_id}",
    response={200: s.PayerDetailOut, **NOT_FOUND},
    url_name="insurance-payer",
)
def get_payer(request: HttpRequest, payer_id: int) -> Any:
    """The payer with its plans."""
    require(request, VIEW)
    return _payer_or_404(payer_id)


@router.patch(
    "/payers/{int:payer_id}",
    response={200: s.PayerDetailOut, **NOT_FOUND, **INVALID},
    url_name="insurance-payer-change",
)
def change_payer(request: HttpRequest, payer_id: int, payload: s.PayerPatch) -> Any:
    """Change the fields sent; answers the payer as it now stands."""
    require(request, CHANGE)
    payer = _payer_or_404(payer_id)
    data = _clearinghouse(payload.model_dump(exclude_unset=True))
    nulls = [k for k, v in data.items() if v is None and k != "clearinghouse"]
    if nulls:
        raise invalid([(k, "Send a value, or leave the field out.") for k in nulls])
    try:
        services.change_payer(payer, acting_user=request.user, **data)
    except ValidationError as exc:
        raise invalid_from(exc) from None
    return _payer_or_404(payer_id)


@router.get("/plans", response=list[s.PlanOut], url_name="insurance-plans")
@paginate(MedofficePagination)
def list_plans(
    request: HttpRequest,
    payer_id: int | None = None,
    plan_type: PlanType | None = None,
    include_inactive: bool = False,
) -> QuerySet[InsurancePlan]:
    """Plans by payer and name (only offered ones unless ``include_inactive``)."""
    require(request, VIEW)
    rows = InsurancePlan.objects.select_related("payer")
    if not include_inactive:
        rows = rows.filter(active=True, payer__active=True)
    if payer_id is not None:
        rows = rows.filter(payer_id=payer_id)
    if plan_type is not None:
        rows = rows.filter(plan_type=plan_type)
    return rows.order_by("payer__name", "name", "pk")


@router.post("/plans", response={201: s.PlanOut, **INVALID}, url_name="insurance-plan-add")
def add_plan(request: HttpRequest, payload: s.PlanIn) -> Any:
    """A plan of an existing payer (managers keep the address book)."""
    require(request, ADD)
    data = payload.model_dump()
    payer = Payer.objects.filter(pk=data.pop("payer_id")).first()
    if payer is None:
        raise invalid([("payer", f"No payer with id {payload.payer_id}.")])
    try:
        plan = services.add_plan(payer, acting_user=request.user, **data)
    except ValidationError as exc:
        raise invalid_from(exc) from None
    return Status(201, InsurancePlan.objects.select_related("payer").get(pk=plan.pk))
