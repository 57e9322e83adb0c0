"""Insurance API: eligibility."""

from ninja import Router

router = Router(tags=["insurance"])
