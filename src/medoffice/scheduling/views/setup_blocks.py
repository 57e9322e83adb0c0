"""Set-up pages for blocks (placed on several calendars at once) and the on-call schedule."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from medoffice.core.permissions import staff_view
from medoffice.scheduling import setup_services
from medoffice.scheduling.models import Block, OnCallShift
from medoffice.scheduling.setup_forms_calendar import BlockForm, OnCallForm, SwapForm
from medoffice.scheduling.views.setup_support import MANAGE, actor, get_or_404, show_errors

SHIFTS_SHOWN = 100


@staff_view(MANAGE)
def block_add(request: HttpRequest) -> HttpResponse:
    form = BlockForm(request.POST or None, initial={"first_day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            placed = setup_services.place_blocks(
                acting_user=actor(request), **form.service_kwargs()
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, f"Placed {placed.count} block(s) on {placed.days} day(s).")
            return redirect("scheduling:setup_block_group", group=placed.group)
    return render(request, "scheduling/setup/block_form.html", {"form": form})


@staff_view(MANAGE)
def block_group(request: HttpRequest, group: uuid.UUID) -> HttpResponse:
    blocks = list(
        Block.objects.filter(group=group)
        .select_related("provider", "resource", "user")
        .order_by("starts_at", "pk")
    )
    context = {"group": group, "blocks": blocks, "first": blocks[0] if blocks else None}
    return render(request, "scheduling/setup/block_group.html", context)


@staff_view(MANAGE)
@require_POST
def block_group_delete(request: HttpRequest, group: uuid.UUID) -> HttpResponse:
    try:
        count = setup_services.delete_block_group(group, acting_user=actor(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("scheduling:setup_block_group", group=group)
    messages.success(request, f"Removed {count} block(s).")
    return redirect("scheduling:setup")


@staff_view(MANAGE)
@require_POST
def block_delete(request: HttpRequest, block_id: int) -> HttpResponse:
    block = get_or_404(Block.objects.all(), pk=block_id)
    try:
        setup_services.delete_block(block, acting_user=actor(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Block removed.")
    if block.group is not None and Block.objects.filter(group=block.group).exists():
        return redirect("scheduling:setup_block_group", group=block.group)
    return redirect("scheduling:setup")


def _coming_shifts() -> list[OnCallShift]:
    return list(
        OnCallShift.objects.filter(ends_at__gte=timezone.now())
        .select_related("provider")
        .order_by("starts_at", "pk")[:SHIFTS_SHOWN]
    )


@staff_view(MANAGE)
def on_call(request: HttpRequest) -> HttpResponse:
    """The coming on-call schedule, a form to add a shift and one to swap two."""
    shifts = _coming_shifts()
    choices = OnCallShift.objects.filter(pk__in=[s.pk for s in shifts]).select_related("provider")
    form = OnCallForm(request.POST or None, prefix="add")
    swap = SwapForm(shifts=choices, prefix="swap")
    if request.method == "POST" and form.is_valid():
        try:
            setup_services.create_on_call_shift(acting_user=actor(request), **form.service_kwargs())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, "On-call shift added.")
            return redirect("scheduling:setup_on_call")
    context = {"shifts": shifts, "form": form, "swap": swap}
    return render(request, "scheduling/setup/on_call.html", context)


@staff_view(MANAGE)
@require_POST
def on_call_swap(request: HttpRequest) -> HttpResponse:
    shifts = OnCallShift.objects.filter(ends_at__gte=timezone.now()).select_related("provider")
    swap = SwapForm(request.POST, shifts=shifts, prefix="swap")
    if not swap.is_valid():
        messages.error(request, "Choose two coming shifts to swap.")
        return redirect("scheduling:setup_on_call")
    try:
        setup_services.swap_on_call_shifts(
            swap.cleaned_data["first"], swap.cleaned_data["second"], acting_user=actor(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Shifts swapped.")
    return redirect("scheduling:setup_on_call")


@staff_view(MANAGE)
@require_POST
def on_call_delete(request: HttpRequest, shift_id: int) -> HttpResponse:
    shift = get_or_404(OnCallShift.objects.all(), pk=shift_id)
    setup_services.delete_on_call_shift(shift, acting_user=actor(request))
    messages.success(request, "On-call shift removed.")
    return redirect("scheduling:setup_on_call")


urlpatterns = [
    path("setup/blocks/new/", block_add, name="setup_block_add"),
    path("setup/blocks/<uuid:group>/", block_group, name="setup_block_group"),
    path("setup/blocks/<uuid:group>/delete/", block_group_delete, name="setup_block_group_delete"),
    path("setup/blocks/one/<int:block_id>/delete/", block_delete, name="setup_block_delete"),
    path("setup/on-call/", on_call, name="setup_on_call"),
    path("setup/on-call/swap/", on_call_swap, name="setup_on_call_swap"),
    path("setup/on-call/<int:shift_id>/delete/", on_call_delete, name="setup_on_call_delete"),
]
