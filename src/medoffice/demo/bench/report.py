"""Printing benchmark figures: percentiles, and each figure beside its target and the peer."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# The peer, GNU Health 5.0.6, measured on this machine (docs: shared/performance.md).
PEER_CREATE_PER_S = 104.0
PEER_SEARCH_MS = 40.0  # 3-letter prefix at 10,000 patients
REGISTRATION_TARGET_PER_S = 5 * PEER_CREATE_PER_S
BULK_TARGET_PER_S = 10_000.0  # on SQLite
SEARCH_P95_MS_100K = 10.0
SEARCH_P95_MS_1M = 20.0


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def search_target_ms(patients: int) -> float:
    return SEARCH_P95_MS_1M if patients > 100_000 else SEARCH_P95_MS_100K


@dataclass(frozen=True)
class Column:
    title: str
    width: int
    align: str = ">"


class Table:
    """Fixed-width text table written line by line (the output is read in a terminal)."""

    def __init__(self, write: Callable[[str], None], columns: Sequence[Column]) -> None:
        self.write = write
        self.columns = columns
        self.row(*(c.title for c in columns))
        self.write("  ".join("-" * c.width for c in columns))

    def row(self, *cells: str) -> None:
        pairs = zip(cells, self.columns, strict=True)
        parts = [f"{cell:{col.align}{col.width}}" for cell, col in pairs]
        self.write("  ".join(parts).rstrip())


def per_second(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else math.inf


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def rate(value: float) -> str:
    return f"{value:,.0f}/s"


def times_peer(value: float, peer: float) -> str:
    return f"{value / peer:,.1f}x peer ({peer:,.0f}/s)"
