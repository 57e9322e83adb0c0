"""Field validators with messages the office understands."""

from __future__ import annotations

import re
import zoneinfo

from django.core.exceptions import ValidationError

from medoffice.core import identifiers


def validate_npi(value: str) -> None:
    if not re.fullmatch(r"[0-9]{10}", value or ""):
        raise ValidationError("An NPI is exactly 10 digits.", code="npi_format")
    if not identifiers.npi_is_valid(value):
        raise ValidationError(f"NPI {value} fails the check digit.", code="npi_check")


def validate_taxonomy_code(value: str) -> None:
    if not identifiers.taxonomy_code_is_valid(value):
        raise ValidationError(
            f"{value} is not a NUCC taxonomy code (10 characters ending in X, e.g. 207Q00000X).",
            code="taxonomy",
        )


def validate_state(value: str) -> None:
    if not identifiers.state_code_is_valid(value):
        raise ValidationError(f"{value} is not a US state code (e.g. NY).", code="state")


def validate_zip_code(value: str) -> None:
    if not identifiers.zip_code_is_valid(value):
        raise ValidationError("A ZIP code is 5 digits or ZIP+4 (12345-6789).", code="zip")


def validate_ein(value: str) -> None:
    if not identifiers.ein_is_valid(value):
        raise ValidationError(f"{value} is not a valid EIN (tax ID, e.g. 12-3456789).", code="ein")


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value} is not a known time zone.", code="time_zone")


def validate_color(value: str) -> None:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value or ""):
        raise ValidationError("A color is written #rrggbb.", code="color")


def validate_place_of_service(value: str) -> None:
    if not re.fullmatch(r"[0-9]{2}", value or ""):
        raise ValidationError("A place of service code is two digits (11 = office).", code="pos")
