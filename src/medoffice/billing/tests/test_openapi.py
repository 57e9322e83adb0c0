"""Every billing operation that writes documents ``Idempotency-Key``; the batch, whose items
carry their own keys, is the one exception (and says so)."""

from __future__ import annotations

from medoffice.api.app import api

BATCH = "/api/billing/payment-batches"


def test_every_billing_write_takes_an_idempotency_key() -> None:
    paths = api.get_openapi_schema()["paths"]
    writes = {
        (path, method)
        for path, operations in paths.items()
        if path.startswith("/api/billing/")
        for method in operations
        if method in ("post", "patch", "put", "delete")
    }
    assert (f"{BATCH}", "post") in writes
    missing = sorted(
        f"{method.upper()} {path}"
        for path, method in writes
        if path != BATCH
        and not any(
            p.get("in") == "header" and p.get("name") == "Idempotency-Key"
            for p in paths[path][method].get("parameters", [])
        )
    )
    assert missing == []
    batch = paths[BATCH]["post"]
    assert "own key" in batch["description"]
