"""Request and response shapes of the patient API (``patients.api``).

Input schemas refuse malformed values with the types of ``api_values`` and refuse unknown keys,
so a misspelt field is a 422 instead of being silently dropped.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from medoffice.patients import choices as c
from medoffice.patients.api_values import (
    Email,
    Extension,
    IsoDate,
    Name,
    OptionalName,
    OptionalPhone,
    Phone,
    RecordStatus,
    Ssn,
    State,
    ZipCode,
    absent,
    checked,
    text,
)


class StrictInput(Schema):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


# ---- child rows --------------------------------------------------------------------------


class PhoneIn(StrictInput):
    kind: c.PhoneKind
    number: Phone
    extension: Extension = ""
    is_primary: bool = False
    sms_consent: bool = False
    voicemail_consent: bool = False


class AddressIn(StrictInput):
    use: c.AddressUse = c.AddressUse.HOME
    line1: Annotated[str, text(200, required=True)]
    line2: Annotated[str, text(200)] = ""
    city: Annotated[str, text(100, required=True)]
    state: State
    zip_code: ZipCode
    is_primary: bool = False


class PreviousNameIn(StrictInput):
    kind: c.PreviousNameKind
    last_name: Name
    first_name: OptionalName = ""
    middle_name: OptionalName = ""
    until: IsoDate | None = None


def _not_self(value: str) -> str | None:
    return "An emergency contact is someone other than the patient." if value == "self" else None


class EmergencyContactIn(StrictInput):
    name: Annotated[str, text(200, required=True)]
    relationship: Annotated[c.Relationship, checked("relationship", _not_self)]
    phone: Phone
    alternate_phone: OptionalPhone = ""
    is_primary: bool = False


class RowId(StrictInput):
    id: int | None = Field(None, description="Set to change that row; leave out to add a row.")


class PhoneRow(PhoneIn, RowId):
    pass


class AddressRow(AddressIn, RowId):
    pass


class PreviousNameRow(PreviousNameIn, RowId):
    pass


class EmergencyContactRow(EmergencyContactIn, RowId):
    pass


class ResponsiblePartyIn(StrictInput):
    """A guarantor who is not a patient here."""

    first_name: Name
    last_name: Name
    birth_date: IsoDate | None = None
    phone: OptionalPhone = ""
    email: Email = ""
    address_line1: Annotated[str, text(200)] = ""
    address_line2: Annotated[str, text(200)] = ""
    city: Annotated[str, text(100)] = ""
    state: State = ""
    zip_code: ZipCode = ""
    employer: Annotated[str, text(200)] = ""


# ---- the patient -------------------------------------------------------------------------


class PatientIn(StrictInput):
    """A registration. Leave ``acknowledged_duplicates`` out until the 409 lists candidates."""

    last_name: Name
    first_name: Name
    middle_name: OptionalName = ""
    suffix: Annotated[str, text(10)] = ""
    preferred_name: OptionalName = ""
    birth_date: IsoDate
    sex: c.Sex
    gender_identity: c.GenderIdentity | Literal[""] = ""
    pronouns: c.Pronouns | Literal[""] = ""
    deceased_date: IsoDate | None = None
    status: RecordStatus = "active"
    email: Email = ""
    preferred_language: c.Language = c.Language.ENGLISH
    interpreter_needed: bool = False
    race: list[c.Race] = Field(default_factory=list, max_length=7)
    ethnicity: c.Ethnicity | Literal[""] = ""
    ssn: Ssn = ""
    primary_care_provider_id: int | None = None
    referring_provider_id: int | None = None
    guarantor_relationship: c.Relationship = c.Relationship.SELF
    guarantor_id: int | None = None
    responsible_party: ResponsiblePartyIn | None = None
    preferred_contact_method: c.ContactMethod = c.ContactMethod.PHONE
    appointment_reminders: bool = True
    email_consent: bool = False
    mail_consent: bool = True
    phones: list[PhoneIn] = Field(default_factory=list, max_length=10)
    addresses: list[AddressIn] = Field(default_factory=list, max_length=10)
    previous_names: list[PreviousNameIn] = Field(default_factory=list, max_length=20)
    emergency_contacts: list[EmergencyContactIn] = Field(default_factory=list, max_length=10)
    acknowledged_duplicates: list[int] | bool = Field(
        default_factory=list,
        description="Ids of the candidates the desk checked (all of them), or true.",
    )


class PatientPatch(StrictInput):
    """Only the fields sent change. A child list, when sent, is the whole list: rows with an
    ``id`` change that row (the fields they carry), rows without one are added, rows left out
    are removed. ``ssn: ""`` removes the SSN. A responsible party is dropped by choosing a
    guarantor patient or the relationship "self"."""

    last_name: Name = absent()
    first_name: Name = absent()
    middle_name: OptionalName = absent()
    suffix: Annotated[str, text(10)] = absent()
    preferred_name: OptionalName = absent()
    birth_date: IsoDate = absent()
    sex: c.Sex = absent()
    gender_identity: c.GenderIdentity | Literal[""] = absent()
    pronouns: c.Pronouns | Literal[""] = absent()
    deceased_date: IsoDate | None = absent()
    status: RecordStatus = absent()
    email: Email = absent()
    preferred_language: c.Language = absent()
    interpreter_needed: bool = absent()
    race: list[c.Race] = absent(max_length=7)
    ethnicity: c.Ethnicity | Literal[""] = absent()
    ssn: Ssn = absent()
    primary_care_provider_id: int | None = absent()
    referring_provider_id: int | None = absent()
    guarantor_relationship: c.Relationship = absent()
    guarantor_id: int | None = absent()
    responsible_party: ResponsiblePartyIn = absent()
    preferred_contact_method: c.ContactMethod = absent()
    appointment_reminders: bool = absent()
    email_consent: bool = absent()
    mail_consent: bool = absent()
    phones: list[PhoneRow] = absent(max_length=10)
    addresses: list[AddressRow] = absent(max_length=10)
    previous_names: list[PreviousNameRow] = absent(max_length=20)
    emergency_contacts: list[EmergencyContactRow] = absent(max_length=10)


# ---- search, duplicates, alerts ----------------------------------------------------------


class SearchIn(StrictInput):
    q: str = Field(max_length=400, description="What the desk would type in the search box.")
    limit: int = Field(10, ge=1, le=50)
    include_inactive: bool = True


class DuplicateCheckIn(StrictInput):
    """The facts of a person about to be registered (or of ``exclude_id`` being edited)."""

    last_name: Name
    first_name: Name
    birth_date: IsoDate | None = None
    previous_last_names: list[Name] = Field(default_factory=list, max_length=10)
    phones: list[Phone] = Field(default_factory=list, max_length=10)
    ssn: Ssn = ""
    email: Email = ""
    exclude_id: int | None = Field(None, description="The record being edited, if any.")


class AlertIn(StrictInput):
    kind: c.AlertKind
    severity: c.AlertSeverity = c.AlertSeverity.WARNING
    message: Annotated[str, text(300, required=True)]


# ---- answers -----------------------------------------------------------------------------


class PhoneOut(Schema):
    id: int
    kind: str
    number: str = Field(description="E.164, e.g. +15552017788")
    display: str = Field(description="As the desk reads it, e.g. (555) 201-7788")
    extension: str
    is_primary: bool
    sms_consent: bool
    voicemail_consent: bool


class AddressOut(Schema):
    id: int
    use: str
    line1: str
    line2: str
    city: str
    state: str
    zip_code: str
    is_primary: bool


class PreviousNameOut(Schema):
    id: int
    kind: str
    last_name: str
    first_name: str
    middle_name: str
    until: dt.date | None


class EmergencyContactOut(Schema):
    id: int
    name: str
    relationship: str
    phone: str
    phone_display: str
    alternate_phone: str
    is_primary: bool


class ResponsiblePartyOut(Schema):
    first_name: str
    last_name: str
    birth_date: dt.date | None
    phone: str
    email: str
    address_line1: str
    address_line2: str
    city: str
    state: str
    zip_code: str
    employer: str


class BannerAlertOut(Schema):
    kind: str
    label: str
    message: str
    severity: str
    alert_id: int | None = Field(description="Set for alerts staff entered (they can resolve it)")


class PatientOut(Schema):
    id: int
    mrn: str
    status: str
    merged_into: int | None = Field(alias="merged_into_id")
    display_name: str
    last_name: str
    first_name: str
    middle_name: str
    suffix: str
    preferred_name: str
    birth_date: dt.date
    sex: str
    gender_identity: str
    pronouns: str
    deceased_date: dt.date | None
    email: str
    preferred_language: str
    interpreter_needed: bool
    race: list[str]
    ethnicity: str
    ssn_last4: str = Field(description="The SSN itself is never sent back")
    has_photo: bool
    primary_care_provider_id: int | None
    referring_provider_id: int | None
    guarantor_relationship: str
    guarantor_id: int | None
    responsible_party: ResponsiblePartyOut | None
    preferred_contact_method: str
    appointment_reminders: bool
    email_consent: bool
    mail_consent: bool
    phones: list[PhoneOut]
    addresses: list[AddressOut]
    previous_names: list[PreviousNameOut]
    emergency_contacts: list[EmergencyContactOut]
    alerts: list[BannerAlertOut]
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_has_photo(obj: Any) -> bool:
        return bool(obj.photo)

    @staticmethod
    def resolve_alerts(obj: Any) -> list[Any]:
        from medoffice.patients.queries import banner_alerts

        return list(banner_alerts(obj))


def _primary_phone(obj: Any) -> Any:
    rows = list(obj.phones.all())  # prefetched, primary first
    return rows[0] if rows else None


class PatientSummaryOut(Schema):
    """One line of a list: who, born when, how to call."""

    id: int
    mrn: str
    status: str
    display_name: str
    last_name: str
    first_name: str
    birth_date: dt.date
    sex: str
    phone: str = Field(description="Primary phone, E.164 (empty if none)")
    phone_display: str
    updated_at: dt.datetime

    @staticmethod
    def resolve_phone(obj: Any) -> str:
        row = _primary_phone(obj)
        return row.number if row else ""

    @staticmethod
    def resolve_phone_display(obj: Any) -> str:
        row = _primary_phone(obj)
        return row.display if row else ""


class SearchHitOut(Schema):
    id: int
    mrn: str
    status: str
    display_name: str
    birth_date: dt.date
    sex: str
    phone: str
    phone_display: str
    has_alert: bool = Field(description="An open alert is on the banner")
    matched: str = Field(description='What matched: "name", "phonetic", "dob", "phone", ...')


class SearchOut(Schema):
    items: list[SearchHitOut]
    kinds: list[str] = Field(description='How the query was read, e.g. ["name", "year"]')
    message: str = Field(description='"" or a hint such as "Type at least 2 letters"')


class CandidateOut(Schema):
    id: int
    mrn: str
    name: str
    birth_date: dt.date
    points: int
    reasons: list[str]


class DuplicatesOut(Schema):
    candidates: list[CandidateOut]


class AlertOut(Schema):
    id: int
    kind: str
    label: str
    severity: str
    message: str
    active: bool
    created_at: dt.datetime
    created_by_id: int | None
    resolved_at: dt.datetime | None
    resolved_by_id: int | None

    @staticmethod
    def resolve_label(obj: Any) -> str:
        return str(obj.get_kind_display())


class FieldErrorOut(Schema):
    field: str
    message: str


class ProblemOut(Schema):
    """RFC 9457 problem details (served as application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str


class InvalidProblemOut(ProblemOut):
    errors: list[FieldErrorOut]


class DuplicatesProblemOut(ProblemOut):
    candidates: list[CandidateOut]


class MergedProblemOut(ProblemOut):
    merged_into: int | None
