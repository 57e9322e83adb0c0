"""The plain data the X12 readers return and the writers take (no Django, no behaviour)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class EnvelopeIds:
    """What the caller supplies for the ISA/GS/ST envelope; the counters are kept by the caller."""

    sender_id: str  # ISA06 (padded by the writer to 15)
    receiver_id: str  # ISA08
    interchange_control_number: int  # ISA13 / IEA02, 1..999_999_999, zero-padded to 9
    group_control_number: int  # GS06 / GE02
    transaction_control_number: int  # ST02 / SE02, zero-padded to 4+ digits
    created: datetime.datetime  # ISA09/ISA10, GS04/GS05
    sender_qualifier: str = "ZZ"
    receiver_qualifier: str = "ZZ"
    application_sender: str = ""  # GS02 (defaults to sender_id)
    application_receiver: str = ""  # GS03 (defaults to receiver_id)
    usage: str = "P"  # ISA15 P or T
    acknowledgment_requested: str = "0"  # ISA14


@dataclass(frozen=True, slots=True)
class Party:
    """A payer, provider, PCP or other payer (an NM1)."""

    name: str  # organization name, or a person's last name
    first_name: str = ""
    middle_name: str = ""
    entity_type: str = "2"  # NM102: 1 person, 2 organization
    id_qualifier: str = ""  # NM108: XX (NPI), PI (payer id), MI, 46 ...
    identifier: str = ""  # NM109
    entity_code: str = ""  # NM101 as read (PR, 1P, P3, ...); writers choose it by role


@dataclass(frozen=True, slots=True)
class Person:
    """A subscriber or dependent."""

    last_name: str
    first_name: str
    middle_name: str = ""
    suffix: str = ""
    member_id: str = ""  # NM109 with MI (subscriber); dependents usually have none
    birth_date: date | None = None
    sex: str = ""  # M / F / U / ""
    group_number: str = ""  # REF*6P
    # N3/N4 as lines: street line(s), then "CITY, ST ZIP" (N401, N402, N403).
    address: tuple[str, ...] = ()
    relationship: str = ""  # INS02 for a dependent (01 spouse, 19 child, 34 other adult, G8 other)


@dataclass(frozen=True, slots=True)
class EligibilityRequest:
    """One 2000C (subscriber) [+ 2000D dependent] inquiry."""

    trace_number: str  # our TRN*1 reference, echoed back in the 271
    payer: Party  # 2100A, id_qualifier "PI"
    provider: Party  # 2100B, NPI with "XX"
    subscriber: Person  # 2100C
    service_date: date  # DTP*291 (the date of service, never the coverage's effective date)
    service_types: tuple[str, ...] = ("30",)  # one EQ per code
    dependent: Person | None = None  # 2100D when the patient is not the subscriber
    originator_id: str = ""  # TRN03 (defaults to "9" + provider NPI, cut to TRN03's 10 characters)


@dataclass(frozen=True, slots=True)
class Benefit:
    """One EB segment with its 2110 detail."""

    code: str  # EB01: 1 active, 6 inactive, A coinsurance, B copay, C deductible, G OOP, ...
    service_types: tuple[str, ...]  # EB03 split on the repetition separator; () when absent
    coverage_level: str = ""  # EB02: IND, FAM, EMP, ESP, CHD ...
    insurance_type: str = ""  # EB04 (HM, MB, MC, PR, ...)
    plan_description: str = ""  # EB05
    time_period: str = ""  # EB06: 23 calendar year, 29 remaining, 27 visit, 22 service year ...
    amount: Decimal | None = None  # EB07
    percent: Decimal | None = None  # EB08 as sent (0.2 means 20 %)
    quantity_qualifier: str = ""  # EB09
    quantity: Decimal | None = None  # EB10
    authorization_required: bool | None = None  # EB11 Y/N
    in_network: bool | None = None  # EB12: Y True, N False, W/U/absent None (applies to both)
    messages: tuple[str, ...] = ()  # MSG
    dates: tuple[tuple[str, str], ...] = ()  # DTP (qualifier, value) in 2110
    related: tuple[Party, ...] = ()  # 2120 LS/LE entities (PCP, other payer, managed-care plan)
    references: tuple[tuple[str, str], ...] = ()  # REF (qualifier, value) in 2110


@dataclass(frozen=True, slots=True)
class Rejection:
    """An AAA: the payer could not answer (part of) the request."""

    loop: str  # 2100A / 2100B / 2100C / 2100D / 2000A / 2110C ...
    code: str  # AAA03 (72 invalid member id, 75 subscriber not found, 42 unable to respond now)
    follow_up: str  # AAA04 (C correct and resubmit, N not allowed, R allowed, Y do not resubmit)
    valid_request: bool  # AAA01 Y/N
    explanation: str  # plain words for the desk: "Member ID not found — check the card."
    retry_may_help: bool  # True for 42 / follow-up R or W


@dataclass(frozen=True, slots=True)
class OtherPayer:
    """Another payer named in the 271 (EB*R loops, 2120C/D entities)."""

    name: str
    payer_id: str = ""
    member_id: str = ""
    insurance_type: str = ""
    coverage_level: str = ""
    medicaid_managed_care: bool = False  # a Medicaid MCO (MC with an HMO, or entity named so)
    primary: bool | None = None


@dataclass(frozen=True, slots=True)
class EligibilityResponse:
    """One 2000C/2000D answer."""

    trace_numbers: tuple[str, ...]  # TRN*2 references (ours echoed back), in order
    payer: Party
    provider: Party
    subscriber: Person
    dependent: Person | None
    active: bool | None  # True if any EB*1 (2-5), False if EB*6/7/8, None when rejected/unknown
    plan_name: str  # EB05 of the EB*1 (or the first plan description)
    insurance_type: str  # EB04 of the EB*1
    group_number: str
    plan_begin: date | None  # DTP*346 / 356 / 291 ...
    plan_end: date | None  # DTP*347 / 357
    pcp: Party | None  # primary care provider named (EB*L with 2120 P3, or 2120 P3 anywhere)
    other_payers: tuple[OtherPayer, ...]
    benefits: tuple[Benefit, ...]
    rejections: tuple[Rejection, ...]  # every AAA at any level
    warnings: tuple[str, ...] = ()  # envelope defects tolerated by read_271(strict=False)


@dataclass(frozen=True, slots=True)
class TransactionAck:
    """One AK2 / IK2 with its errors."""

    transaction_set: str  # 270, 837 ...
    control_number: str
    status: str  # A accepted, E accepted with errors, R rejected, ...
    errors: tuple[str, ...]  # plain words, with the segment/element named


@dataclass(frozen=True, slots=True)
class Acknowledgment:
    """One 999 functional group answer."""

    group_control_number: str  # AK102
    functional_id: str  # AK101 (HS for 270 ...)
    status: str  # AK901 A / E / P / R / M / W / X
    accepted: bool  # A or E
    transactions: tuple[TransactionAck, ...]
    errors: tuple[str, ...] = ()  # AK905.. group-level errors in plain words
    version: str = ""  # AK103
    included: int | None = None  # AK902 transaction sets included
    received: int | None = None  # AK903
    accepted_count: int | None = None  # AK904
    warnings: tuple[str, ...] = ()  # envelope defects tolerated by read_999(strict=False)


@dataclass(frozen=True, slots=True)
class ServiceLine:
    code: str  # CPT / HCPCS (SV1 HC:code)
    units: Decimal = Decimal(1)
    from_date: date | None = None
    to_date: date | None = None
    service_type: str = ""  # UM03 of the 2000F when given
    modifiers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    trace_number: str
    payer: Party  # UMO (X3)
    requester: Party  # requesting provider (1P), NPI
    subscriber: Person
    dependent: Person | None
    diagnoses: tuple[str, ...]  # ICD-10-CM codes, written without the dot (HI ABK / ABF)
    services: tuple[ServiceLine, ...]
    service_provider: Party | None = None  # SJ, defaults to requester
    request_category: str = "HS"  # UM01: HS health services review, AR admission, SC specialty
    certification_type: str = "I"  # UM02: I initial, ...
    service_type: str = "1"  # UM03 (1 medical care, 2 surgical, 3 consultation, ...)
    facility_code: str = "11"  # UM04 place of service
    from_date: date | None = None
    to_date: date | None = None
    originator_id: str = ""  # TRN03 (defaults to "9" + requester NPI, cut to 10 characters)


@dataclass(frozen=True, slots=True)
class ServiceDecision:
    code: str
    status: str  # HCR01: A1 certified in total, A2 partial, A3 not certified, A4 pended,
    # A6 modified, C cancelled, CT contact payer, NA no action required
    certification_number: str
    units: Decimal | None
    explanation: str
    reason_code: str = ""  # HCR03


@dataclass(frozen=True, slots=True)
class AuthorizationResponse:
    trace_numbers: tuple[str, ...]
    # "approved" | "partial" | "denied" | "pending" | "modified" | "cancelled" | "contact_payer"
    # | "not_required" | "rejected"
    status: str
    certification_number: str  # HCR02 (or REF*BB) at the event level
    effective_from: date | None  # DTP*007 / 472 / AAH ...
    effective_to: date | None  # DTP*036 ...
    decisions: tuple[ServiceDecision, ...]
    rejections: tuple[Rejection, ...]
    explanation: str  # plain words for the desk
    reason_code: str = ""  # HCR03 at the event level
    warnings: tuple[str, ...] = ()  # envelope defects tolerated by read_278_response(strict=False)
