"""Helpers the tests of several contexts share (imported by tests only)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.db import connection

T = TypeVar("T")


def race(count: int, attempt: Callable[[int], T]) -> list[T]:
    """Run ``attempt(n)`` in ``count`` threads released at once; each closes its connection."""
    start = threading.Barrier(count)

    def run(n: int) -> T:
        try:
            start.wait(timeout=60)
            return attempt(n)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))
