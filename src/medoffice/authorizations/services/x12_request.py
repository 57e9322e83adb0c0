"""Who and what a 278 asks for: the people on the coverage, the providers, the lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from medoffice.authorizations.errors import AuthorizationRefused
from medoffice.insurance.choices import SubscriberRelationship

SEX = {"female": "F", "male": "M"}


def _person(patient: Any, *, member_id: str = "", group_number: str = "") -> Any:
    from medoffice.interchange.x12 import Person

    return Person(
        last_name=patient.last_name,
        first_name=patient.first_name,
        middle_name=patient.middle_name,
        suffix=patient.suffix,
        member_id=member_id,
        birth_date=patient.birth_date,
        sex=SEX.get(patient.sex, ""),
        group_number=group_number,
    )


def _subscriber(coverage: Any) -> Any:
    from medoffice.interchange.x12 import Person

    if coverage.subscriber_patient is not None:
        return _person(
            coverage.subscriber_patient,
            member_id=coverage.member_id,
            group_number=coverage.group_number,
        )
    if not (coverage.subscriber_last_name and coverage.subscriber_first_name):
        raise AuthorizationRefused(
            "The subscriber's name is missing on this coverage: add it before sending."
        )
    return Person(
        last_name=coverage.subscriber_last_name,
        first_name=coverage.subscriber_first_name,
        middle_name=coverage.subscriber_middle_name,
        member_id=coverage.member_id,
        birth_date=coverage.subscriber_birth_date,
        sex=coverage.subscriber_sex,
        group_number=coverage.group_number,
    )


def _provider(provider: Any) -> Any:
    from medoffice.interchange.x12 import Party

    return Party(
        name=provider.last_name,
        first_name=provider.first_name,
        entity_type="1",
        id_qualifier="XX",
        identifier=provider.npi,
    )


def build_request(authorization: Any, *, trace_number: str, today: dt.date) -> Any:
    """The ``AuthorizationRequest`` of a draft; refused in words when something is missing."""
    from medoffice.interchange.x12 import AuthorizationRequest, Party, ServiceLine

    payer, coverage = authorization.payer, authorization.coverage
    if not payer.payer_id:
        raise AuthorizationRefused(f"{payer.name} has no electronic payer ID: fax the request.")
    patient = authorization.patient
    is_self = coverage.relationship == SubscriberRelationship.SELF
    subscriber = (
        _person(patient, member_id=coverage.member_id, group_number=coverage.group_number)
        if is_self
        else _subscriber(coverage)
    )
    lines = list(authorization.services.all())
    starts = authorization.effective_from or min(
        (s.from_date for s in lines if s.from_date), default=today
    )
    ends = authorization.effective_to or max((s.to_date for s in lines if s.to_date), default=None)
    servicing = authorization.servicing_provider
    return AuthorizationRequest(
        trace_number=trace_number,
        payer=Party(name=payer.name, id_qualifier="PI", identifier=payer.payer_id),
        requester=_provider(authorization.requesting_provider),
        subscriber=subscriber,
        dependent=None if is_self else _person(patient),
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
        service_provider=_provider(servicing) if servicing is not None else None,
        from_date=starts,
        to_date=ends,
    )
