"""How fast 270s are built and 271s read, in pure Python.

Run ``python -m medoffice.interchange.x12.bench``.
"""

from __future__ import annotations

import datetime
import time
from datetime import date
from decimal import Decimal

from .eligibility_request import build_270
from .eligibility_response import read_271
from .eligibility_writer import build_271
from .models import Benefit, EligibilityRequest, EligibilityResponse, EnvelopeIds, Party, Person

CREATED = datetime.datetime(2025, 3, 4, 9, 30, tzinfo=datetime.UTC)


def _request(n: int) -> EligibilityRequest:
    return EligibilityRequest(
        trace_number=f"T{n:08d}",
        payer=Party("ACME HEALTH", id_qualifier="PI", identifier="60054", entity_code="PR"),
        provider=Party(
            "RIVERSIDE FAMILY MEDICINE",
            id_qualifier="XX",
            identifier="1234567893",
            entity_code="1P",
        ),
        subscriber=Person(
            "DOE", "JANE", member_id=f"W{n:09d}", birth_date=date(1980, 3, 14), sex="F"
        ),
        service_date=date(2025, 3, 4),
        service_types=("30", "98"),
    )


def _response(request: EligibilityRequest) -> EligibilityResponse:
    office = ("98", "UC")
    benefits = (
        Benefit(
            "1", ("30",), coverage_level="IND", insurance_type="PR", plan_description="GOLD PPO"
        ),
        Benefit("B", office, time_period="27", amount=Decimal("25.00"), in_network=True),
        Benefit("B", office, time_period="27", amount=Decimal("60.00"), in_network=False),
        Benefit("A", ("30",), percent=Decimal("0.20"), in_network=True),
        Benefit("C", ("30",), "IND", time_period="23", amount=Decimal("1500"), in_network=True),
        Benefit("C", ("30",), "IND", time_period="29", amount=Decimal("650"), in_network=True),
        Benefit("G", ("30",), "IND", time_period="23", amount=Decimal("6000"), in_network=True),
        Benefit(
            "G",
            ("30",),
            "IND",
            time_period="29",
            amount=Decimal("4200"),
            in_network=True,
            messages=("OUT OF POCKET INCLUDES DEDUCTIBLE",),
        ),
    )
    return EligibilityResponse(
        trace_numbers=(request.trace_number,),
        payer=request.payer,
        provider=request.provider,
        subscriber=request.subscriber,
        dependent=None,
        active=True,
        plan_name="GOLD PPO",
        insurance_type="PR",
        group_number="GRP100",
        plan_begin=date(2025, 1, 1),
        plan_end=date(2025, 12, 31),
        pcp=None,
        other_payers=(),
        benefits=benefits,
        rejections=(),
    )


def measure(n: int = 10_000) -> dict[str, float]:
    """Build ``n`` 270s and read ``n`` 271s; returns how many of each per second."""
    requests = [_request(i) for i in range(n)]
    ids = [EnvelopeIds("SUBMITTER01", "ACMEHEALTH", i + 1, i + 1, i + 1, CREATED) for i in range(n)]
    started = time.perf_counter()
    for request, envelope in zip(requests, ids, strict=True):
        build_270(request, envelope)
    built = time.perf_counter() - started
    answers = [build_271(r, _response(r), e) for r, e in zip(requests, ids, strict=True)]
    started = time.perf_counter()
    for text in answers:
        read_271(text)
    read = time.perf_counter() - started
    return {"build_270_per_s": n / built, "read_271_per_s": n / read}


if __name__ == "__main__":  # pragma: no cover
    for name, rate in measure().items():
        print(f"{name}: {rate:,.0f}")
