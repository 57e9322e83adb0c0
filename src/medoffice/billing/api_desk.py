"""The desk's account API: balances (split: owes now / pending with insurance), the ledger,
charges, adjustments, reversals, and receipts. Reads are audited; every post takes an
``Idempotency-Key``. Malformed amounts answer 422 with ``parse_amount``'s message.

No ``from __future__ import annotations``: ninja evaluates a ``@paginate`` handler's annotations
in the pagination module's namespace.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import paginate

from medoffice.api.idempotency import idempotent
from medoffice.api.pagination import MedofficePagination
from medoffice.api.problems import ProblemError
from medoffice.api.security import require
from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.billing import api_schemas_desk as s
from medoffice.billing import queries
from medoffice.billing.errors import AmountError, BillingError
from medoffice.billing.models import LedgerEntry
from medoffice.billing.rules.money import parse_amount
from medoffice.billing.services import ledger, receipts
from medoffice.core.pdf import pdf_response

router = Router(tags=["billing"])
VIEW_LEDGER, VIEW_PAYMENT, ADD_PAYMENT, ADJUST = (
    "billing.view_ledgerentry", "billing.view_payment", "billing.add_payment",
    "billing.adjust_account",
)  # fmt: skip
ANSWERS: dict[int, Any] = {404: s.Problem, 409: s.Problem, 422: s.InvalidProblem}
PROBLEMS = "https://medoffice.example/problems/"


def _patient(patient_id: int) -> Any:
    from medoffice.patients import queries as patients

    found = patients.get_patient(patient_id)
    if found is None:
        raise ProblemError(404, "Not found", f"No patient with id {patient_id}.")
    return found


def _appointment(patient: Any, appointment_id: int | None) -> Any:
    if appointment_id is None:
        return None
    from medoffice.scheduling import queries as scheduling

    found = scheduling.get_appointment(appointment_id)
    if found is None or found.patient_id != patient.pk:
        raise _invalid("appointment_id", f"No visit of this patient with id {appointment_id}.")
    return found


def _invalid(field: str, message: str) -> ProblemError:
    errors = [{"field": field, "message": message}]
    return ProblemError(422, "Invalid input", message, extra={"errors": errors})


def _amount(field: str, raw: str, *, allow_zero: bool = False) -> Any:
    try:
        return parse_amount(raw, allow_zero=allow_zero)
    except AmountError as exc:
        raise _invalid(field, str(exc)) from None


def _refused(exc: BillingError) -> ProblemError:
    return ProblemError(409, "Refused", str(exc), type_=PROBLEMS + "billing-refused")


def _balance(balance: queries.Balance) -> dict[str, Any]:
    return {
        "patient_owes": balance.patient_owes,
        "pending_insurance": balance.pending_insurance,
        "credit": balance.credit,
    }


def _audit(patient_id: int, what: str, target: Any = None) -> None:
    record(
        AuditAction.READ,
        target=target,
        target_type="" if target is not None else "patients.patient",
        target_id=None if target is not None else patient_id,
        patient_id=patient_id,
        detail={"what": what},
    )


@router.get("/accounts/{int:patient_id}", response={200: s.AccountOut, 404: s.Problem},
            url_name="billing-account")  # fmt: skip
def get_account(request: HttpRequest, patient_id: int) -> Any:
    """The balance split into what the patient owes now and what is pending with insurance
    (never one mixed figure), and the same per visit (``appointment_id`` null: on account)."""
    require(request, VIEW_LEDGER)
    patient = _patient(patient_id)
    _audit(patient.pk, "account (API)")
    visits = queries.visit_balances(patient.pk)
    return {
        "patient_id": patient.pk,
        "balance": _balance(queries.balance_of(patient.pk)),
        "visits": [
            {"appointment_id": visit, **_balance(b)}
            for visit, b in sorted(visits.items(), key=lambda i: (i[0] is None, i[0] or 0))
        ],
    }


class AuditedLedgerPages(MedofficePagination):
    """The house pagination, auditing the account whose entries it serves."""

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        _audit(params["patient_id"], "ledger (API)")
        return page


@router.get("/accounts/{int:patient_id}/ledger", response=list[s.EntryOut],
            url_name="billing-ledger")  # fmt: skip
@paginate(AuditedLedgerPages)
def get_ledger(request: HttpRequest, patient_id: int) -> Any:
    """The account's entries, oldest first (paginated: ``limit``, ``offset``)."""
    require(request, VIEW_LEDGER)
    patient = _patient(patient_id)
    return LedgerEntry.objects.filter(patient_id=patient.pk).order_by("posted_at", "id")


@router.post("/accounts/{int:patient_id}/charges", response={201: s.EntriesOut, **ANSWERS},
             url_name="billing-charges")  # fmt: skip
@idempotent
def post_charge(request: HttpRequest, patient_id: int, payload: s.ChargeIn) -> Any:
    """A charge split into the patient's part (owes now) and insurance's part (pending)."""
    require(request, ADJUST)
    patient = _patient(patient_id)
    mine = _amount("patient_amount", payload.patient_amount, allow_zero=True)
    theirs = _amount("insurance_amount", payload.insurance_amount, allow_zero=True)
    try:
        entries = ledger.post_charge(
            patient, acting_user=request.user, patient_amount=mine, insurance_amount=theirs,
            appointment=_appointment(patient, payload.appointment_id),
            code=payload.code.strip().upper(), description=payload.description.strip(),
        )  # fmt: skip
    except BillingError as exc:
        raise _refused(exc) from None
    return Status(201, {"entries": entries})


@router.post("/accounts/{int:patient_id}/adjustments", response={201: s.EntryOut, **ANSWERS},
             url_name="billing-adjustments")  # fmt: skip
@idempotent
def post_adjustment(request: HttpRequest, patient_id: int, payload: s.AdjustmentIn) -> Any:
    """A write-off (``lowers``) or debit adjustment, always with a reason."""
    require(request, ADJUST)
    patient = _patient(patient_id)
    amount = _amount("amount", payload.amount)
    try:
        entry = ledger.post_adjustment(
            patient, acting_user=request.user, amount=amount, lowers=payload.lowers,
            reason=payload.reason, bucket=payload.bucket,
            appointment=_appointment(patient, payload.appointment_id),
        )  # fmt: skip
    except BillingError as exc:
        raise _refused(exc) from None
    return Status(201, entry)


@router.post("/ledger/{int:entry_id}/reversal", response={201: s.EntryOut, **ANSWERS},
             url_name="billing-reversal")  # fmt: skip
@idempotent
def post_reversal(request: HttpRequest, entry_id: int, payload: s.ReversalIn) -> Any:
    """Reverse a charge, adjustment or transfer (the same amount, opposite sign, with why)."""
    require(request, ADJUST)
    entry = LedgerEntry.objects.select_related("patient").filter(pk=entry_id).first()
    if entry is None:
        raise ProblemError(404, "Not found", f"No ledger entry with id {entry_id}.")
    try:
        reversal = ledger.reverse_entry(entry, acting_user=request.user, reason=payload.reason)
    except BillingError as exc:
        raise _refused(exc) from None
    return Status(201, reversal)


def _payment(payment_id: int) -> Any:
    found = queries.get_payment(payment_id)
    if found is None:
        raise ProblemError(404, "Not found", f"No payment with id {payment_id}.")
    return found


@router.get(
    "/payments/{int:payment_id}/receipt.pdf",
    response={200: None, 404: s.Problem},
    url_name="billing-receipt-pdf",
    openapi_extra={"responses": {"200": {"content": {"application/pdf": {}}}}},
)
def receipt_pdf(request: HttpRequest, payment_id: int) -> HttpResponse:
    """The payment's receipt as a PDF (audited)."""
    require(request, VIEW_PAYMENT)
    payment = _payment(payment_id)
    _audit(payment.patient_id, "receipt (API)", target=payment)
    return pdf_response(receipts.receipt_pdf(payment), receipts.receipt_filename(payment))


@router.post("/payments/{int:payment_id}/receipt-email",
             response={202: s.EmailedOut, 404: s.Problem, 409: s.Problem},
             url_name="billing-receipt-email")  # fmt: skip
@idempotent
def email_receipt(request: HttpRequest, payment_id: int) -> Any:
    """Email the receipt PDF to the patient's address on file (sent after commit by a job);
    409 when the patient has no address or has not agreed to email."""
    require(request, ADD_PAYMENT)
    payment = _payment(payment_id)
    try:
        receipts.email_receipt(payment, acting_user=request.user)
    except BillingError as exc:
        raise _refused(exc) from None
    return Status(202, {"payment_id": payment.pk, "queued": True})
