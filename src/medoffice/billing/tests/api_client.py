"""API helpers for the billing tests: a bearer-token client and payment bodies."""

from __future__ import annotations

from typing import Any

import orjson
from django.test import Client

from medoffice.accounts import services as account_services


def bearer(user: Any, name: str = "t") -> Client:
    token = account_services.create_api_token(user=user, name=name, acting_user=None)[1]
    return Client(headers={"Authorization": f"Bearer {token}"})


def card_body(patient_id: int, amount: str = "25.00", **extra: Any) -> dict[str, Any]:
    return {
        "patient_id": patient_id,
        "purpose": "copay",
        "tenders": [
            {
                "method": "card",
                "amount": amount,
                "card_brand": "visa",
                "card_last4": "4242",
                "approval_code": "A1B2C3",
                "entry_mode": "manual",
            }
        ],
        **extra,
    }


def post(client: Client, path: str, body: Any, key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(path, body, content_type="application/json", headers=headers)


def data(response: Any) -> Any:
    return orjson.loads(response.content)
