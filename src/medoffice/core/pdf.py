"""Templates to PDF: every printed document (forms, notes, huddle sheets, later receipts and
statements) goes through ``render_pdf`` so they share one letterhead, one stylesheet and one
safety rule (no fetching outside medoffice's own static files)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string

from medoffice.interchange.pdf import PdfError, html_to_pdf, pdf_text

STATIC_ROOT = Path(__file__).resolve().parent.parent / "static"

__all__ = ["PdfError", "pdf_response", "pdf_text", "render_pdf"]


def _letterhead() -> dict[str, Any]:
    from medoffice.practice import queries as practice

    found = practice.get_practice()
    locations = list(practice.list_locations()[:1])
    return {"practice": found, "location": locations[0] if locations else None}


def render_pdf(template_name: str, context: dict[str, Any], *, title: str = "") -> bytes:
    """The PDF of a template that extends ``pdf/base.html``; ``title`` goes in its metadata
    (keep names of patients out of it: PDF viewers show the title in their window bar)."""
    html = render_to_string(template_name, {**_letterhead(), **context, "title": title})
    return html_to_pdf(html, base_dir=STATIC_ROOT, title=title)


def pdf_response(data: bytes, filename: str, *, download: bool = False) -> HttpResponse:
    """Serve a PDF; ``filename`` is a neutral name (``excuse-note-41.pdf``), never a person's."""
    response = HttpResponse(data, content_type="application/pdf")
    how = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{how}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
