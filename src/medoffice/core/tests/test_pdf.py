"""``render_pdf``: templates on the practice's letterhead, escaped, served with a neutral name."""

from __future__ import annotations

import pytest

from medoffice.core.pdf import pdf_response, pdf_text, render_pdf
from medoffice.practice.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def test_a_template_renders_on_the_practice_letterhead() -> None:
    place = LocationFactory(address_line1="12 Elm Street", city="Springfield", state="IL")
    context = {"heading": "School excuse", "body": "<b>not bold</b>"}
    data = render_pdf("core/pdf/sample.html", context, title="Note")
    text = pdf_text(data)
    assert place.practice.name in text
    assert "12 Elm Street" in text
    assert "School excuse" in text
    assert "<b>not bold</b>" in text  # autoescaped: markup in data stays text


def test_the_response_is_inline_with_the_given_name() -> None:
    response = pdf_response(b"%PDF-1.7", "excuse-note-4.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="excuse-note-4.pdf"'
    assert pdf_response(b"%PDF-1.7", "a.pdf", download=True)["Content-Disposition"].startswith(
        "attachment"
    )
