"""Insurance API: coverages."""

from ninja import Router

router = Router(tags=["insurance"])
