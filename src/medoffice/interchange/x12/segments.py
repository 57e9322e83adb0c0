"""Separators from the ISA, splitting text into segments, and writing segments safely.

The ISA is fixed width (106 characters): the element separator is its 4th character, the
repetition separator ISA11, the component separator ISA16 and the segment terminator the
character right after ISA16. Carriage returns and line feeds after terminators are tolerated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import X12Error

ISA_LENGTH = 106
# Widths of ISA01..ISA16.
ISA_WIDTHS = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1]

Segment = list[str]


@dataclass(frozen=True, slots=True)
class Separators:
    element: str = "*"
    repetition: str = "^"
    component: str = ":"
    segment: str = "~"

    def all(self) -> str:
        return self.element + self.repetition + self.component + self.segment


DEFAULT_SEPARATORS = Separators()


def detect_separators(text: str) -> Separators:
    """Read the separators from the ISA at the start of ``text`` (checked to be 106 characters)."""
    if not text.startswith("ISA"):
        raise X12Error(
            "This is not an X12 file: it does not start with an ISA segment.",
            segment_index=0,
            segment_id="ISA",
        )
    if len(text) < ISA_LENGTH:
        raise X12Error(
            f"The ISA segment is cut short: it must be {ISA_LENGTH} characters, "
            f"the file has only {len(text)}.",
            segment_index=0,
            segment_id="ISA",
        )
    element = text[3]
    fields = text[4:105].split(element)
    if [len(f) for f in fields] != ISA_WIDTHS:
        raise X12Error(
            f"The ISA segment is not the fixed {ISA_LENGTH} characters with 16 elements "
            "of the standard widths (a field may be padded wrongly or the file cut).",
            segment_index=0,
            segment_id="ISA",
        )
    if fields[10].isalnum():
        raise X12Error(
            f"ISA11 is {fields[10]!r}, not a separator: a 5010 file declares its repetition "
            "separator there (usually ^); 'U' is the old 4010 value.",
            segment_index=0,
            segment_id="ISA",
        )
    seps = Separators(element, fields[10], fields[15], text[105])
    chars = seps.all()
    if len(set(chars)) != 4 or any(c.isalnum() or c == " " for c in chars):
        raise X12Error(
            "The ISA declares inconsistent separators: element, repetition, component and "
            "segment separators must be four different non-alphanumeric characters "
            f"(got {chars!r}).",
            segment_index=0,
            segment_id="ISA",
        )
    if fields[11] != "00501":
        raise X12Error(
            f"This file is X12 version {fields[11]}, not 5010 (00501).",
            segment_index=0,
            segment_id="ISA",
        )
    return seps


def split_segments(text: str, seps: Separators) -> list[Segment]:
    """Split ``text`` into segments of elements, dropping empty pieces (stray line breaks)."""
    if seps.segment not in "\r\n":
        if "\n" in text or "\r" in text:
            text = text.replace("\r", "").replace("\n", "")
    elif "\r" in text and seps.segment != "\r":
        text = text.replace("\r", "")
    pieces = text.split(seps.segment)
    if "" in pieces:
        pieces = [piece for piece in pieces if piece]
    element = seps.element
    return [piece.split(element) for piece in pieces]


_ID = re.compile(r"[A-Z][A-Z0-9]{1,2}")


def is_segment_id(value: str) -> bool:
    return _ID.fullmatch(value) is not None


class SegmentWriter:
    """Collects segments, refusing any value that contains a separator (it would corrupt the file).

    An element is a ``str``; a ``tuple`` of strings is a composite (joined by the component
    separator); a ``list`` of strings is a repeated element (joined by the repetition separator).
    Trailing empty elements are dropped, as the standard requires.
    """

    def __init__(self, seps: Separators = DEFAULT_SEPARATORS) -> None:
        self.seps = seps
        self.segments: list[str] = []
        self._bad = re.compile("[" + re.escape(seps.all()) + "\r\n]").search

    def check(self, segment_id: str, value: str) -> str:
        if self._bad(value) is not None:
            raise X12Error(
                f"Cannot write {value!r} in {segment_id}: it contains an X12 separator "
                f"({self.seps.all()!r}) or a line break.",
                segment_id=segment_id,
            )
        return value

    def add(self, segment_id: str, *elements: str | tuple[str, ...] | list[str]) -> None:
        out = [segment_id]
        plain: list[str] = []
        for value in elements:
            if value.__class__ is str:
                out.append(value)
                plain.append(value)
            elif isinstance(value, tuple):
                parts = [self.check(segment_id, p) for p in value]
                while parts and not parts[-1]:
                    parts.pop()
                out.append(self.seps.component.join(parts))
            elif isinstance(value, list):
                out.append(self.seps.repetition.join(self.check(segment_id, p) for p in value))
        if self._bad("".join(plain)) is not None:
            for value in plain:
                self.check(segment_id, value)
        while len(out) > 1 and not out[-1]:
            out.pop()
        self.segments.append(self.seps.element.join(out))

    def add_raw(self, segment: str) -> None:
        """Add an already formatted segment (used for the fixed-width ISA)."""
        self.segments.append(segment)

    def __len__(self) -> int:
        return len(self.segments)

    def text(self) -> str:
        term = self.seps.segment
        return term.join(self.segments) + term
