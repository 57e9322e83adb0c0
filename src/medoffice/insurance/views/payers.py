"""The practice's insurance address book: payers with their plans, and clearinghouses.

Payers and plans hold no PHI (no read audit); writes go through ``services.payers``. The desk
may look payers up; only managers add or change them and see the clearinghouses.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path

from medoffice.core.permissions import staff_view
from medoffice.insurance.forms_payers import (
    ClearinghouseForm,
    PayerForm,
    PayerSearchForm,
    PlanForm,
    ServiceForm,
)
from medoffice.insurance.models import Clearinghouse, InsurancePlan, Payer
from medoffice.insurance.services import payers as services

VIEW = "insurance.view_payer"
ADD = "insurance.add_payer"
CHANGE = "insurance.change_payer"
HOUSES = "insurance.view_clearinghouse"
ADD_HOUSE = "insurance.add_clearinghouse"
CHANGE_HOUSE = "insurance.change_clearinghouse"
PAGE_SIZE = 50


def _get(model: Any, pk: int) -> Any:
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise Http404("Not found.")
    return found


def search_payers(text: str, *, include_inactive: bool = False) -> QuerySet[Payer]:
    rows = Payer.objects.all() if include_inactive else Payer.objects.filter(active=True)
    for word in text.split()[:5]:
        rows = rows.filter(Q(name__icontains=word) | Q(payer_id__iexact=word))
    return (
        rows.select_related("clearinghouse")
        .annotate(plan_count=Count("plans"))
        .order_by("name", "pk")
    )


@staff_view(VIEW)
def payer_list(request: HttpRequest) -> HttpResponse:
    form = PayerSearchForm(request.GET)
    form.is_valid()
    text = form.cleaned_data.get("q") or ""
    rows = search_payers(text, include_inactive=bool(form.cleaned_data.get("inactive")))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "q": text,
        "can_add": request.user.has_perm(ADD),
        "inactive": bool(form.cleaned_data.get("inactive")),
    }
    if getattr(request, "htmx", False):
        return render(request, "insurance/payer_rows.html", context)
    return render(request, "insurance/payer_list.html", context)


def _saved(request: HttpRequest, form: ServiceForm, save: Any) -> Any:
    """Validate the posted form and call ``save(**kwargs)``; None means show the form again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save(**form.service_kwargs())
    except ValidationError as exc:
        form.apply_errors(exc)
        return None
    return saved


def _render_form(request: HttpRequest, template: str, **context: Any) -> HttpResponse:
    return render(request, template, context)


@staff_view(ADD)
def payer_add(request: HttpRequest) -> HttpResponse:
    form = PayerForm(request.POST or None)
    saved = _saved(request, form, partial(services.add_payer, acting_user=request.user))
    if saved is not None:
        messages.success(request, "Payer added.")
        return redirect("insurance:payer", payer_id=saved.pk)
    return _render_form(request, "insurance/payer_form.html", form=form, heading="Add payer")


@staff_view(VIEW)
def payer_detail(request: HttpRequest, payer_id: int) -> HttpResponse:
    payer = Payer.objects.select_related("clearinghouse").filter(pk=payer_id).first()
    if payer is None:
        raise Http404("No such payer.")
    context = {
        "payer": payer,
        "plans": list(payer.plans.order_by("-active", "name")),
        "can_change": request.user.has_perm(CHANGE),
        "can_add_plan": request.user.has_perm(ADD),
    }
    return render(request, "insurance/payer_detail.html", context)


@staff_view(CHANGE)
def payer_edit(request: HttpRequest, payer_id: int) -> HttpResponse:
    payer = _get(Payer, payer_id)
    form = PayerForm(request.POST or None, instance=payer)
    save = partial(services.change_payer, payer, acting_user=request.user)
    saved = _saved(request, form, save)
    if saved is not None:
        messages.success(request, "Payer saved.")
        return redirect("insurance:payer", payer_id=payer.pk)
    return _render_form(
        request, "insurance/payer_form.html", form=form, payer=payer, heading=f"Edit {payer.name}"
    )


@staff_view(ADD)
def plan_add(request: HttpRequest, payer_id: int) -> HttpResponse:
    payer = _get(Payer, payer_id)
    form = PlanForm(request.POST or None)
    saved = _saved(request, form, partial(services.add_plan, payer, acting_user=request.user))
    if saved is not None:
        messages.success(request, "Plan added.")
        return redirect("insurance:payer", payer_id=payer.pk)
    return _render_form(
        request,
        "insurance/plan_form.html",
        form=form,
        payer=payer,
        heading=f"Add a {payer.name} plan",
    )


@staff_view(CHANGE)
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = InsurancePlan.objects.select_related("payer").filter(pk=plan_id).first()
    if plan is None:
        raise Http404("No such plan.")
    form = PlanForm(request.POST or None, instance=plan)
    saved = _saved(request, form, partial(services.change_plan, plan, acting_user=request.user))
    if saved is not None:
        messages.success(request, "Plan saved.")
        return redirect("insurance:payer", payer_id=plan.payer_id)
    return _render_form(
        request,
        "insurance/plan_form.html",
        form=form,
        payer=plan.payer,
        plan=plan,
        heading=f"Edit {plan.name}",
    )


@staff_view(HOUSES)
def clearinghouse_list(request: HttpRequest) -> HttpResponse:
    rows = Clearinghouse.objects.annotate(payer_count=Count("payers")).order_by("-active", "name")
    context = {
        "clearinghouses": list(rows),
        "can_add": request.user.has_perm(ADD_HOUSE),
        "can_change": request.user.has_perm(CHANGE_HOUSE),
    }
    return render(request, "insurance/clearinghouse_list.html", context)


@staff_view(ADD_HOUSE)
def clearinghouse_add(request: HttpRequest) -> HttpResponse:
    form = ClearinghouseForm(request.POST or None)
    save = partial(services.add_clearinghouse, acting_user=request.user)
    saved = _saved(request, form, save)
    if saved is not None:
        messages.success(request, "Clearinghouse added.")
        return redirect("insurance:clearinghouses")
    return _render_form(
        request, "insurance/clearinghouse_form.html", form=form, heading="Add clearinghouse"
    )


@staff_view(CHANGE_HOUSE)
def clearinghouse_edit(request: HttpRequest, clearinghouse_id: int) -> HttpResponse:
    house = _get(Clearinghouse, clearinghouse_id)
    form = ClearinghouseForm(request.POST or None, instance=house)
    save = partial(services.change_clearinghouse, house, acting_user=request.user)
    saved = _saved(request, form, save)
    if saved is not None:
        messages.success(request, "Clearinghouse saved.")
        return redirect("insurance:clearinghouses")
    return _render_form(
        request,
        "insurance/clearinghouse_form.html",
        form=form,
        clearinghouse=house,
        heading=f"Edit {house.name}",
    )


urlpatterns: list[URLPattern] = [
    path("payers/", payer_list, name="payers"),
    path("payers/add/", payer_add, name="payer_add"),
    path("payers/<int:payer_id>/", payer_detail, name="payer"),
    path("payers/<int:payer_id>/edit/", payer_edit, name="payer_edit"),
    path("payers/<int:payer_id>/plans/add/", plan_add, name="plan_add"),
    path("plans/<int:plan_id>/edit/", plan_edit, name="plan_edit"),
    path("clearinghouses/", clearinghouse_list, name="clearinghouses"),
    path("clearinghouses/add/", clearinghouse_add, name="clearinghouse_add"),
    path(
        "clearinghouses/<int:clearinghouse_id>/edit/",
        clearinghouse_edit,
        name="clearinghouse_edit",
    ),
]
