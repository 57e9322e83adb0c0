"""Insurance API: estimates."""

from ninja import Router

router = Router(tags=["insurance"])
