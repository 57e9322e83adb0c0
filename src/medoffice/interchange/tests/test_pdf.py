"""The PDF service: HTML in, a PDF whose text reads back; nothing fetched from outside."""

from __future__ import annotations

from pathlib import Path

import pytest

from medoffice.interchange.pdf import PdfError, html_to_pdf, pdf_info, pdf_text


def test_html_becomes_a_pdf_whose_text_and_title_read_back() -> None:
    data = html_to_pdf("<h1>Work excuse</h1><p>Back on 4 March 2026.</p>", title="Excuse note")
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "Work excuse" in text
    assert "Back on 4 March 2026." in text
    info = pdf_info(data)
    assert (info.title, info.author, info.pages) == ("Excuse note", "medoffice", 1)


def test_a_long_document_breaks_into_pages() -> None:
    rows = "".join(f"<p>Line {n}</p>" for n in range(200))
    assert pdf_info(html_to_pdf(rows)).pages > 3


def test_a_remote_image_is_refused(tmp_path: Path) -> None:
    html = '<img src="http://127.0.0.1:9/tracker.png">'
    with pytest.raises(PdfError, match="only use images and styles shipped"):
        html_to_pdf(html, base_dir=tmp_path)


def test_a_file_outside_the_base_folder_is_refused(tmp_path: Path) -> None:
    inside = tmp_path / "inside"
    inside.mkdir()
    with pytest.raises(PdfError):
        html_to_pdf('<link rel="stylesheet" href="../../../../etc/passwd">', base_dir=inside)


def test_a_file_inside_the_base_folder_is_used(tmp_path: Path) -> None:
    (tmp_path / "print.css").write_text("h1 { color: red }")
    data = html_to_pdf('<link rel="stylesheet" href="print.css"><h1>Styled</h1>', base_dir=tmp_path)
    assert "Styled" in pdf_text(data)


@pytest.mark.parametrize("junk", [b"", b"hello", b"%PDF-1.7\n garbage"])
def test_not_a_pdf_is_a_clear_error(junk: bytes) -> None:
    with pytest.raises(PdfError):
        pdf_text(junk)
