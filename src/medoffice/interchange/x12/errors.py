"""The one exception the X12 package raises for malformed input or values it cannot write."""

from __future__ import annotations


class X12Error(ValueError):
    """Malformed X12, or a value that cannot be written as X12.

    ``message`` is plain words for the desk; ``segment_index`` (0-based position of the segment in
    the file, or None) and ``segment_id`` (e.g. ``"SE"``, or ``""``) name where it broke.
    """

    def __init__(
        self, message: str, *, segment_index: int | None = None, segment_id: str = ""
    ) -> None:
        self.message = message
        self.segment_index = segment_index
        self.segment_id = segment_id
        super().__init__(message)

    def __str__(self) -> str:
        if self.segment_index is None:
            return self.message
        where = f"segment {self.segment_index + 1}"
        if self.segment_id:
            where += f" ({self.segment_id})"
        return f"{self.message} [at {where}]"
