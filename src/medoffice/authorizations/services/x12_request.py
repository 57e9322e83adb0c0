"""Who and what a 278 asks for: the people on the coverage, the providers, the lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from medoffice.authorizations.errors import AuthorizationRefused
from medoffice.insurance.errors import InsuranceRefused
from medoffice.insurance.services import eligibility_request


def _people(coverage: Any) -> tuple[Any, Any]:
    try:
        return eligibility_request.people_on(coverage)
    except InsuranceRefused:
        raise AuthorizationRefused(
            "The subscriber's name is missing on this coverage: add it before sending."
        ) from None


def build_request(authorization: Any, *, trace_number: str, today: dt.date) -> Any:
    """The ``AuthorizationRequest`` of a draft; refused in words when something is missing."""
    from medoffice.interchange.x12 import AuthorizationRequest, Party, ServiceLine

    payer, coverage = authorization.payer, authorization.coverage
    if not payer.payer_id:
        raise AuthorizationRefused(f"{payer.name} has no electronic payer ID: fax the request.")
    subscriber, dependent = _people(coverage)
    lines = list(authorization.services.all())
    starts = authorization.effective_from or min(
        (s.from_date for s in lines if s.from_date), default=today
    )
    ends = authorization.effective_to or max((s.to_date for s in lines if s.to_date), default=None)
    servicing = authorization.servicing_provider
    return AuthorizationRequest(
        trace_number=trace_number,
        payer=Party(name=payer.name, id_qualifier="PI", identifier=payer.payer_id),
        requester=eligibility_request.provider_party(authorization.requesting_provider),
        subscriber=subscriber,
        dependent=dependent,
        diagnoses=tuple(d.code for d in authorization.diagnoses.all()),
        services=tuple(
            ServiceLine(
                code=s.code,
                units=Decimal(s.units_requested),
                from_date=s.from_date or starts,
                to_date=s.to_date or ends,
            )
            for s in lines
        ),
        service_provider=eligibility_request.provider_party(servicing) if servicing else None,
        from_date=starts,
        to_date=ends,
    )
