"""Keep protected health information out of the application log.

Two layers: ``PhiScrubFilter`` sits on the configured handlers, and the first time it is built
it also installs a log-record factory, so every record, whatever logger or handler (including
ones added later, such as Django's ``django.server`` handler or a test's capture handler), is
masked when it is created. Exception text is masked too: exception messages often echo input.

Regexes cannot recognise names: the real rule is to never log PHI in the first place.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

_PATTERNS = [
    (re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), "[ssn]"),
    (re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"), "[date]"),
    (re.compile(r"\b(19|20)\d{2}-\d{2}-\d{2}\b"), "[date]"),
    (re.compile(r"\+?1?[\s.(-]*\d{3}[\s.)-]*\d{3}[\s.-]*\d{4}\b"), "[phone]"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "[email]"),
]

_formatter = logging.Formatter()
_install_lock = threading.Lock()
_installed = False


def scrub(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def scrub_record(record: logging.LogRecord) -> logging.LogRecord:
    """Mask the message and exception text of a record in place (idempotent)."""
    if getattr(record, "_phi_scrubbed", False):
        return record
    try:
        message = record.getMessage()
    except Exception:  # a broken format string must not hide the record
        message = str(record.msg)
    record.msg = scrub(message)
    record.args = None
    if record.exc_info and not record.exc_text:
        record.exc_text = _formatter.formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = scrub(record.exc_text)
    if record.stack_info:
        record.stack_info = scrub(record.stack_info)
    if hasattr(record, "request"):
        record.request = None
    record._phi_scrubbed = True
    return record


def install_record_scrubber() -> None:
    """Wrap the log-record factory once so every record in the process is masked at birth."""
    global _installed
    with _install_lock:
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            return scrub_record(previous(*args, **kwargs))

        logging.setLogRecordFactory(factory)
        _installed = True


class PhiScrubFilter(logging.Filter):
    """Mask identifiers in every record, and drop the request object Django attaches."""

    def __init__(self, name: str = "") -> None:
        super().__init__(name)
        install_record_scrubber()

    def filter(self, record: logging.LogRecord) -> bool:
        # Records created before the factory was installed, or with extra= added later.
        record._phi_scrubbed = False
        scrub_record(record)
        return True
