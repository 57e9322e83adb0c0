"""The manager's merge pages: duplicates worklist, pick, compare and merge, history and undo.

Every page shows PHI of the records it lists, so each is audited: one read per record compared,
one search entry naming the records a list showed. Refusals from ``patients.merging`` come back
as plain messages on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from medoffice.core.permissions import staff_view
from medoffice.patients import queries, services
from medoffice.patients.choices import PatientStatus
from medoffice.patients.duplicates import find_duplicates, person_of
from medoffice.patients.duplicates_scan import likely_duplicate_pairs
from medoffice.patients.errors import MergeRefused
from medoffice.patients.merging import (
    kept_record_of,
    merge_blocker,
    merge_patients,
    rows_to_move,
    undo_merge,
)
from medoffice.patients.models import Patient, PatientMerge
from medoffice.patients.rules.duplicates import score
from medoffice.patients.search import search_patients

MERGE = "patients.merge_patient"
PER_PAGE = 25
SEARCH_MAX = 200
PICK_HITS = 10


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Stays in the merge history; do not paste other patients' details.",
    )


@dataclass(frozen=True)
class ComparedLine:
    label: str
    kept: str
    other: str

    @property
    def differs(self) -> bool:
        return self.kept != self.other


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _patient_or_404(patient_id: int) -> Patient:
    patient = queries.get_patient(patient_id)
    if patient is None:
        raise Http404("No such patient.")
    return patient


def _audit_list(
    request: HttpRequest, ids: list[int], source: str, kinds: tuple[str, ...] = ()
) -> None:
    if ids:
        services.audit_search(ids, acting_user=request.user, kinds=kinds, source=source)


# ---- duplicates worklist --------------------------------------------------------------------


@staff_view(MERGE)
def duplicates(request: HttpRequest) -> HttpResponse:
    number = _page_number(request)
    worklist = likely_duplicate_pairs(limit=PER_PAGE, offset=(number - 1) * PER_PAGE)
    shown = [p.pk for pair in worklist.pairs for p in (pair.keep, pair.other)]
    _audit_list(request, list(dict.fromkeys(shown)), "duplicates-worklist")
    context = {
        "worklist": worklist,
        "page": number,
        "previous_page": number - 1 if number > 1 else None,
        "next_page": number + 1 if number * PER_PAGE < worklist.total else None,
        "first_index": (number - 1) * PER_PAGE,
    }
    return render(request, "patients/duplicates_worklist.html", context)


# ---- pick the other record ------------------------------------------------------------------


@dataclass(frozen=True)
class PickRow:
    patient: Patient
    note: str


def _search_hits(request: HttpRequest, patient: Patient) -> tuple[list[PickRow], str]:
    text = request.POST.get("q", "")[:SEARCH_MAX]
    result = search_patients(text, limit=PICK_HITS + 1)
    hits = [h.patient for h in result.hits if h.patient.pk != patient.pk][:PICK_HITS]
    _audit_list(request, [p.pk for p in hits], "merge-pick", result.kinds)
    rows = [PickRow(p, next((ph.display for ph in p.phones.all()), "")) for p in hits]
    if not rows and not result.message and text.strip():
        return rows, "No other record matches."
    return rows, result.message


def _suggestions(request: HttpRequest, patient: Patient) -> list[PickRow]:
    """Records that score as possible duplicates of this one (the registration check)."""
    found = find_duplicates(person_of(patient), exclude=[patient.pk])
    _audit_list(request, [c.patient.pk for c in found], "merge-pick-suggestions")
    return [PickRow(c.patient, ", ".join(c.reasons)) for c in found]


@staff_view(MERGE)
def merge_pick(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient_or_404(patient_id)
    if request.method == "POST":
        hits, message = _search_hits(request, patient)
        context = {"patient": patient, "hits": hits, "message": message, "searched": True}
        if request.htmx:  # type: ignore[attr-defined]
            return render(request, "patients/_merge_pick_results.html", context)
    else:
        context = {"patient": patient, "hits": [], "message": "", "searched": False}
    services.audit_read(patient, acting_user=request.user, what="merge-pick")
    if patient.status != PatientStatus.MERGED:
        context["suggestions"] = _suggestions(request, patient)
    return render(request, "patients/merge_pick.html", context)


# ---- compare and merge ----------------------------------------------------------------------


def _phones(patient: Patient) -> str:
    return "; ".join(f"{p.display} ({p.get_kind_display()})" for p in patient.phones.all())


def _addresses(patient: Patient) -> str:
    return "; ".join(str(a) for a in patient.addresses.all())


def _comparison(kept: Patient, other: Patient) -> list[ComparedLine]:
    facts = [
        ("Name", lambda p: p.display_name),
        ("Previous names", lambda p: "; ".join(str(n) for n in p.previous_names.all())),
        ("Date of birth", lambda p: p.birth_date.strftime("%m/%d/%Y")),
        ("Legal sex", lambda p: p.get_sex_display()),
        ("MRN", lambda p: p.mrn),
        ("Phones", _phones),
        ("Addresses", _addresses),
        ("Email", lambda p: p.email),
        ("SSN", lambda p: p.ssn_masked),
        ("Status", lambda p: p.get_status_display()),
    ]
    return [ComparedLine(label, get(kept) or "—", get(other) or "—") for label, get in facts]


def _compare_context(kept: Patient, other: Patient, form: ReasonForm) -> dict[str, Any]:
    blocker = merge_blocker(kept, other)
    merged = next((p for p in (other, kept) if p.status == PatientStatus.MERGED), None)
    match = score(person_of(kept), person_of(other))
    return {
        "kept": kept,
        "other": other,
        "lines": _comparison(kept, other),
        "moves": [] if blocker else rows_to_move(other),
        "points": match.points,
        "reasons": match.reasons,
        "blocker": blocker,
        "merged": merged,
        "merged_live": kept_record_of(merged) if merged else None,
        "form": form,
    }


@staff_view(MERGE)
def merge(request: HttpRequest, survivor_id: int, duplicate_id: int) -> HttpResponse:
    kept, other = _patient_or_404(survivor_id), _patient_or_404(duplicate_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            merge_patients(
                survivor=kept,
                duplicate=other,
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except MergeRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"MRN {other.mrn} was merged into this record (MRN {kept.mrn}). "
                "You can undo it from the merge history.",
            )
            return redirect("patients:detail", kept.pk)
    for patient in (kept, other):
        services.audit_read(patient, acting_user=request.user, what="merge-compare")
    return render(request, "patients/merge_confirm.html", _compare_context(kept, other, form))


# ---- history and undo -----------------------------------------------------------------------


def _history(request: HttpRequest) -> tuple[Any, Patient | None]:
    merges = PatientMerge.objects.select_related(
        "survivor", "duplicate", "merged_by", "undone_by"
    ).order_by("-merged_at", "-pk")
    focus = None
    patient_id = request.GET.get("patient", "")
    if patient_id.isdigit():
        focus = get_object_or_404(Patient, pk=int(patient_id))
        merges = merges.filter(Q(survivor=focus) | Q(duplicate=focus))
    page = Paginator(merges, PER_PAGE).get_page(_page_number(request))
    return page, focus


@staff_view(MERGE)
def merge_history(request: HttpRequest) -> HttpResponse:
    page, focus = _history(request)
    shown = [pk for m in page for pk in (m.survivor_id, m.duplicate_id)]
    _audit_list(request, list(dict.fromkeys(shown)), "merge-history")
    context = {"page": page, "focus": focus, "form": ReasonForm()}
    return render(request, "patients/merge_history.html", context)


@staff_view(MERGE)
@require_POST
def merge_undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    merge = get_object_or_404(PatientMerge, pk=merge_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason of at least 10 characters to undo a merge.")
    else:
        try:
            undo_merge(merge, acting_user=request.user, reason=form.cleaned_data["reason"])
        except MergeRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"Merge #{merge.pk} undone: MRN {merge.duplicate.mrn} is a separate record again.",
            )
    return redirect(f"{reverse('patients:merge_history')}#merge-{merge.pk}")


urlpatterns = [
    path("duplicates/", duplicates, name="duplicates"),
    path("<int:patient_id>/merge/", merge_pick, name="merge_pick"),
    path("<int:survivor_id>/merge/<int:duplicate_id>/", merge, name="merge"),
    path("merges/", merge_history, name="merge_history"),
    path("merges/<int:merge_id>/undo/", merge_undo, name="merge_undo"),
]
