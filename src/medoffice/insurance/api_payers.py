"""Insurance API: payers."""

from ninja import Router

router = Router(tags=["insurance"])
