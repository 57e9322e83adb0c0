"""HTML to PDF, and PDF to text: the one place documents are rendered (receipts, forms, notes).

Django-free: callers render their own HTML (``medoffice.core.pdf`` does it from templates) and get
bytes. WeasyPrint lays out HTML and CSS with Pango; it never fetches a URL outside ``base_url``'s
folder, so a template cannot make the server call out.
"""

from medoffice.interchange.pdf.render import PdfError, PdfInfo, html_to_pdf, pdf_info, pdf_text

__all__ = ["PdfError", "PdfInfo", "html_to_pdf", "pdf_info", "pdf_text"]
