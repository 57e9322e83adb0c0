"""Synthetic patients for tests, registered through the real service (keys, digests, audit)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from medoffice.patients import services
from medoffice.patients.models import Patient

_numbers = itertools.count(1)


def patient_values(**overrides: Any) -> dict[str, Any]:
    n = next(_numbers)
    values: dict[str, Any] = {
        "last_name": f"Sample{n}",
        "first_name": "Robin",
        "birth_date": dt.date(1980, 1, 1) + dt.timedelta(days=(n * 37) % 16000),
        "sex": "female",
        "phones": [{"kind": "mobile", "number": f"(555) 3{n % 100:02d}-{n % 10000:04d}"}],
    }
    values.update(overrides)
    return values


def make_patient(*, acting_user: Any = None, **overrides: Any) -> Patient:
    """Register a patient; duplicates are acknowledged unless the test says otherwise."""
    values = patient_values(**overrides)
    values.setdefault("acknowledged_duplicates", True)
    return services.register_patient(acting_user=acting_user, **values)
