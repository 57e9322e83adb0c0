"""Patient-facing pages: the kiosk at the desk and the secure link sent before the visit.

Nothing here shows anything about the patient before the request is known to be open and, for a
link, before the patient gave the right birth date. Closed requests answer 410 with a page that
names no one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from medoffice.core.permissions import public_view
from medoffice.intake import applying, services
from medoffice.intake.answers import field_name
from medoffice.intake.errors import AnswersInvalid, RequestClosed
from medoffice.intake.models import FormRequest, RequestedForm
from medoffice.intake.submitting import next_form, submit_form
from medoffice.intake.views.staff import KIOSK_SESSION_KEY

VERIFIED_KEY = "intake_link_verified"
DONE_KEY = "intake_done_channel"

REFUSALS = {
    "expired": "This form link has expired.",
    "revoked": "This form link is no longer active.",
    "completed": "These forms were already completed.",
    "not valid": "This form link is not valid.",
    "already signed": "This form was already signed.",
    "no kiosk": "No forms are open on this device.",
}


def refused(request: HttpRequest, state: str, *, kiosk: bool = False) -> HttpResponse:
    context = {"message": REFUSALS.get(state, REFUSALS["not valid"]), "kiosk": kiosk}
    return render(request, "intake/fill/refused.html", context, status=410)


def _initial(requested: RequestedForm, patient: Any) -> dict[str, Any]:
    """Registration answers start from the record so the patient only corrects what changed."""
    values = {}
    for question in requested.version.questions.all():
        if question.maps_to and not question.maps_to.startswith("history."):
            values[question.key] = applying.current_value(patient, question.maps_to, None)
    return values


def _questions(requested: RequestedForm, data: Any, errors: dict[str, str]) -> list[dict[str, Any]]:
    initial = _initial(requested, requested.request.patient) if data is None else {}
    rows = []
    for question in requested.version.questions.all():
        name = field_name(question)
        if data is not None:
            value: Any = (
                data.getlist(name) if question.kind == "multiple_choice" else data.get(name, "")
            )
        else:
            value = initial.get(question.key, [] if question.kind == "multiple_choice" else "")
        rows.append(
            {"q": question, "name": name, "value": value, "error": errors.get(question.key, "")}
        )
    return rows


def _fill(request: HttpRequest, form_request: FormRequest, *, kiosk: bool) -> HttpResponse:
    requested = next_form(form_request)
    if requested is None:
        return _finish(request, form_request, kiosk=kiosk)
    requested.request = form_request
    data, errors = None, {}
    if request.method == "POST":
        if request.POST.get("requested_form") != str(requested.pk):
            return redirect(request.path)
        try:
            submit_form(requested, request.POST)
        except AnswersInvalid as exc:
            data, errors = request.POST, exc.errors
        except RequestClosed as exc:
            return refused(request, exc.state, kiosk=kiosk)
        else:
            if next_form(form_request) is None:
                return _finish(request, form_request, kiosk=kiosk)
            return redirect(request.path)
    services.mark_opened(form_request)
    total = form_request.forms.count()
    context = {
        "requested": requested,
        "version": requested.version,
        "template": requested.version.template,
        "questions": _questions(requested, data, errors),
        "errors": errors,
        "signature_error": errors.get("signature", ""),
        "signer_error": errors.get("signer_name", ""),
        "signer_name": (data.get("signer_name", "") if data is not None else "")
        or f"{form_request.patient.first_name} {form_request.patient.last_name}",
        "signature_kind": data.get("signature_kind", "drawn") if data is not None else "drawn",
        "signature_typed": data.get("signature_typed", "") if data is not None else "",
        "has_signature": any(q.kind == "signature" for q in requested.version.questions.all()),
        "step": requested.position,
        "total": total,
        "greeting": form_request.patient.preferred_name or form_request.patient.first_name,
        "kiosk": kiosk,
    }
    return render(request, "intake/fill/form.html", context)


def _finish(request: HttpRequest, form_request: FormRequest, *, kiosk: bool) -> HttpResponse:
    if kiosk:
        request.session.pop(KIOSK_SESSION_KEY, None)
    else:
        request.session.pop(VERIFIED_KEY, None)
    request.session[DONE_KEY] = "kiosk" if kiosk else "link"
    return redirect("intake:done")


def _open(token: str) -> FormRequest:
    form_request = services.open_request(token)
    return FormRequest.objects.select_related("patient").get(pk=form_request.pk)


@public_view
@never_cache
@csrf_protect
def kiosk(request: HttpRequest) -> HttpResponse:
    token = request.session.get(KIOSK_SESSION_KEY, "")
    if not token:
        return refused(request, "no kiosk", kiosk=True)
    try:
        form_request = _open(token)
    except RequestClosed as exc:
        request.session.pop(KIOSK_SESSION_KEY, None)
        return refused(request, exc.state, kiosk=True)
    return _fill(request, form_request, kiosk=True)


def _birth_date(request: HttpRequest) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.POST.get("birth_date", "").strip())
    except ValueError:
        return None


@public_view
@never_cache
@csrf_protect
def link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        form_request = _open(token)
    except RequestClosed as exc:
        return refused(request, exc.state)
    if request.session.get(VERIFIED_KEY) == form_request.pk:
        return _fill(request, form_request, kiosk=False)
    error = ""
    if request.method == "POST" and "birth_date" in request.POST:
        try:
            ok = services.check_birth_date(form_request, _birth_date(request))
        except RequestClosed as exc:
            return refused(request, exc.state)
        if ok:
            request.session.cycle_key()
            request.session[VERIFIED_KEY] = form_request.pk
            return redirect(request.path)
        form_request.refresh_from_db()
        if services.request_state(form_request) != "open":
            return refused(request, "revoked")
        error = "That date of birth does not match. Please check it and try again."
    return render(request, "intake/fill/identify.html", {"error": error}, status=200)


@public_view
@never_cache
def done(request: HttpRequest) -> HttpResponse:
    channel = request.session.get(DONE_KEY, "")
    return render(request, "intake/fill/done.html", {"kiosk": channel == "kiosk"})
