"""Who and what a 270 asks about: the people on a coverage and the visit's service types."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from medoffice.insurance.choices import SubscriberRelationship
from medoffice.insurance.errors import EligibilityUnavailable
from medoffice.insurance.models import Coverage
from medoffice.interchange.x12 import EligibilityRequest, Party, Person
from medoffice.practice import queries as practice

GENERIC = "30"
SEX = {"female": "F", "male": "M"}


def service_types_for(appointment_type: Any = None) -> tuple[str, ...]:
    """The X12 service types the visit needs (the type's own list), or the generic 30."""
    raw = getattr(appointment_type, "service_type_codes", "") or ""
    codes = tuple(dict.fromkeys(c.strip().upper() for c in raw.replace(" ", ",").split(",")))
    codes = tuple(c for c in codes if c)
    return codes or (GENERIC,)


def _person(patient: Any, *, member_id: str = "", group_number: str = "") -> Person:
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


def _subscriber(coverage: Coverage) -> Person:
    if coverage.subscriber_patient is not None:
        return _person(
            coverage.subscriber_patient,
            member_id=coverage.member_id,
            group_number=coverage.group_number,
        )
    if not (coverage.subscriber_last_name and coverage.subscriber_first_name):
        raise EligibilityUnavailable(
            "The subscriber's name is missing on this coverage: add it before checking."
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


def people_on(coverage: Coverage) -> tuple[Person, Person | None]:
    """(subscriber, dependent) as X12 sends them: the patient alone when they are the subscriber;
    refused in words when another subscriber's name is missing. Shared with the 278."""
    patient = coverage.patient
    if coverage.relationship == SubscriberRelationship.SELF:
        own = _person(patient, member_id=coverage.member_id, group_number=coverage.group_number)
        return own, None
    dependent = dataclasses.replace(_person(patient), relationship=coverage.relationship)
    return _subscriber(coverage), dependent


def provider_party(provider: Any) -> Party:
    """A clinician as an X12 party (a person, by NPI)."""
    return Party(
        name=provider.last_name,
        first_name=provider.first_name,
        entity_type="1",
        id_qualifier="XX",
        identifier=provider.npi,
    )


def information_receiver(provider: Any = None) -> Party:
    """The provider asking: the visit's clinician, else the practice under its group NPI."""
    if provider is not None:
        return provider_party(provider)
    office = practice.get_practice()
    if office is not None and office.group_npi:
        return Party(name=office.name, id_qualifier="XX", identifier=office.group_npi)
    first = practice.list_providers().first()
    if first is None:
        raise EligibilityUnavailable(
            "The practice has no group NPI and no provider: set one in practice set-up."
        )
    return information_receiver(first)


def build_request(
    coverage: Coverage,
    *,
    trace_number: str,
    service_date: dt.date,
    service_types: tuple[str, ...],
    provider: Any = None,
    receiver: Party | None = None,
) -> EligibilityRequest:
    """The 270's content; ``receiver`` spares looking the practice up again in a batch."""
    payer = coverage.plan.payer
    if not payer.payer_id:
        raise EligibilityUnavailable(
            f"{payer.name} has no electronic payer ID: check by phone or portal."
        )
    subscriber, dependent = people_on(coverage)
    return EligibilityRequest(
        trace_number=trace_number,
        payer=Party(name=payer.name, id_qualifier="PI", identifier=payer.payer_id),
        provider=receiver or information_receiver(provider),
        subscriber=subscriber,
        service_date=service_date,
        service_types=service_types,
        dependent=dependent,
    )
