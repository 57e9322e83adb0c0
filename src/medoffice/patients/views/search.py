"""Patient search pages: the search page and the header box's dropdown (HTMX).

Search text is PHI: it arrives by POST only and is never logged, put in a URL or audited; the
audit trail records which patients were shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from medoffice.core.permissions import staff_view
from medoffice.patients import services
from medoffice.patients.search import SearchHit, SearchResult, search_patients

VIEW = "patients.view_patient"
ADD = "patients.add_patient"
PAGE_LIMIT = 50
QUICK_LIMIT = 8
SHOWN_TEXT = 200  # characters of the query echoed back into the search field
EXACT = ("mrn", "ssn")


@dataclass(frozen=True)
class HitRow:
    """One hit as a page shows it: the record's link (None until that page exists) and age."""

    hit: SearchHit
    url: str | None
    age: int


def _url(name: str, *args: int) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _rows(result: SearchResult) -> list[HitRow]:
    today = timezone.localdate()
    return [
        HitRow(hit, _url("patients:detail", hit.patient.pk), hit.patient.age_on(today))
        for hit in result.hits
    ]


def _audit(
    request: HttpRequest, hits: Sequence[SearchHit], kinds: Sequence[str], source: str
) -> None:
    """Record which patients a person was shown; nothing when nobody was shown."""
    if hits:
        ids = [hit.patient.pk for hit in hits]
        services.audit_search(ids, acting_user=request.user, kinds=kinds, source=source)


def _best(result: SearchResult) -> SearchHit | None:
    """The hit Enter opens: the only one, or an exact MRN/SSN match; none when in doubt."""
    if not result.hits or result.message:
        return None
    if len(result.hits) == 1 or result.hits[0].matched in EXACT:
        return result.hits[0]
    return None


@staff_view(VIEW)
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    can_register = request.user.has_perm(ADD)
    context: dict[str, object] = {
        "register_url": _url("patients:register") if can_register else None,
        "query": "",
        "searched": False,
        "limit": PAGE_LIMIT,
    }
    if request.method == "POST":
        text = request.POST.get("q", "")
        from_box = request.POST.get("go") == "1"
        result = search_patients(text, limit=PAGE_LIMIT)
        best = _best(result) if from_box else None
        best_url = _url("patients:detail", best.patient.pk) if best else None
        if best is not None and best_url:
            _audit(request, [best], result.kinds, "search-box")
            return redirect(best_url)
        _audit(request, result.hits, result.kinds, "search-box" if from_box else "search-page")
        context.update(
            query=text[:SHOWN_TEXT],
            searched=bool(text.strip()),
            result=result,
            rows=_rows(result),
        )
    return render(request, "patients/search.html", context)


@staff_view(VIEW)
@require_POST
def quick_search(request: HttpRequest) -> HttpResponse:
    """The header box's dropdown: the top hits as a listbox (empty text closes it)."""
    text = request.POST.get("q", "")
    if not text.strip():
        return HttpResponse("")
    result = search_patients(text, limit=QUICK_LIMIT)
    _audit(request, result.hits, result.kinds, "search-box")
    return render(request, "patients/_search_hits.html", {"result": result, "rows": _rows(result)})


urlpatterns: list[URLPattern] = [
    path("", search, name="search"),
    path("search/quick/", quick_search, name="quick_search"),
]
