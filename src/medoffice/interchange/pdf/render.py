"""Render with WeasyPrint; read back with pypdf (for tests, previews and checks of stored PDFs)."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PDF_MAGIC = b"%PDF-"

# WeasyPrint and fontTools log every font subset at INFO; nothing there is worth keeping.
for _name in ("weasyprint", "fontTools"):
    logging.getLogger(_name).setLevel(logging.ERROR)


class PdfError(Exception):
    """The document could not be rendered or read."""


@dataclass(frozen=True)
class PdfInfo:
    title: str
    author: str
    pages: int


def _local_fetcher(root: Path | None) -> Any:
    """A fetcher that serves ``data:`` URLs and files under ``root``, and refuses the rest."""
    from weasyprint.urls import URLFetcher

    class LocalOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith("data:"):
                path = Path(url.removeprefix("file://").split("?")[0]).resolve()
                if root is None or not url.startswith("file://") or not path.is_relative_to(root):
                    raise PermissionError(url)
            return super().fetch(url, headers)

    return LocalOnly(allowed_protocols=("data", "file"), fail_on_errors=True)


def html_to_pdf(
    html: str,
    *,
    base_dir: Path | None = None,
    title: str = "",
    author: str = "medoffice",
    stylesheets: list[str] | None = None,
) -> bytes:
    """The PDF for ``html``; relative URLs resolve under ``base_dir`` and nowhere else."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import FatalURLFetchingError

    root = base_dir.resolve() if base_dir is not None else None
    fetcher = _local_fetcher(root)
    try:
        document = HTML(
            string=html,
            base_url=root.as_uri() + "/" if root is not None else None,
            url_fetcher=fetcher,
        ).render(stylesheets=[CSS(string=css) for css in stylesheets or []])
        document.metadata.title = title or document.metadata.title
        document.metadata.authors = [author]
        data: bytes = document.write_pdf()
    except FatalURLFetchingError as exc:
        raise PdfError("A document may only use images and styles shipped with medoffice.") from exc
    except Exception as exc:  # WeasyPrint raises many kinds; the caller needs one
        raise PdfError(f"The document could not be rendered ({type(exc).__name__}).") from exc
    return data


def _reader(data: bytes) -> Any:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.startswith(PDF_MAGIC):
        raise PdfError("That is not a PDF file.")
    try:
        return PdfReader(io.BytesIO(data))
    except PyPdfError as exc:
        raise PdfError("The PDF file is damaged.") from exc


def pdf_text(data: bytes) -> str:
    """All text of a PDF, page after page."""
    reader = _reader(data)
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_info(data: bytes) -> PdfInfo:
    reader = _reader(data)
    meta = reader.metadata or {}
    return PdfInfo(
        title=str(meta.get("/Title", "")),
        author=str(meta.get("/Author", "")),
        pages=len(reader.pages),
    )
