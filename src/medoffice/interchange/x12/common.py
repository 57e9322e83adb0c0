"""Helpers shared by the transaction readers and writers: elements, dates, amounts, names."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from . import codes
from .errors import X12Error
from .models import Party, Person, Rejection
from .segments import Segment, SegmentWriter


def el(seg: Segment, index: int) -> str:
    """Element ``index`` of ``seg`` (``seg[0]`` is the segment ID), or ``""`` when absent."""
    return seg[index] if index < len(seg) else ""


def parse_date(value: str, where: str) -> date:
    if len(value) != 8 or not value.isdigit():
        raise X12Error(f"{where}: {value!r} is not a date (CCYYMMDD).")
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise X12Error(f"{where}: {value!r} is not a real calendar date.") from None


def parse_period(fmt: str, value: str, where: str) -> tuple[date, date | None]:
    """A DTP date (D8) or range (RD8) as (start, end); end is None for a single date."""
    if fmt == "RD8":
        start, sep, end = value.partition("-")
        if not sep:
            raise X12Error(f"{where}: {value!r} is not a date range (CCYYMMDD-CCYYMMDD).")
        return parse_date(start, where), parse_date(end, where)
    if fmt in ("D8", ""):
        return parse_date(value, where), None
    raise X12Error(f"{where}: date format {fmt!r} is not D8 or RD8.")


def format_date(value: date) -> str:
    return value.strftime("%Y%m%d")


def period_elements(start: date, end: date | None) -> tuple[str, str]:
    """DTP02/DTP03 for a single date (D8) or a range (RD8)."""
    if end is None:
        return "D8", format_date(start)
    return "RD8", f"{format_date(start)}-{format_date(end)}"


def parse_decimal(value: str, where: str) -> Decimal | None:
    if not value:
        return None
    try:
        result = Decimal(value)
    except InvalidOperation:
        raise X12Error(f"{where}: {value!r} is not a number.") from None
    if not result.is_finite():
        raise X12Error(f"{where}: {value!r} is not a number.")
    return result


def format_decimal(value: Decimal | None) -> str:
    """An X12 R/N2 value: no exponent, no trailing zeros beyond what was given."""
    if value is None:
        return ""
    if not value.is_finite():
        raise X12Error(f"Cannot write {value} as an X12 number.")
    text = format(value, "f")
    return text


def yes_no(value: str) -> bool | None:
    if value == "Y":
        return True
    if value == "N":
        return False
    return None


PAD = [""] * 16


def padded(seg: Segment, size: int) -> Segment:
    """``seg`` with empty elements added so that indexes below ``size`` exist."""
    return seg if len(seg) >= size else seg + PAD[: size - len(seg)]


def party_from(seg: Segment) -> Party:
    seg = padded(seg, 10)
    return Party(seg[3], seg[4], seg[5], seg[2] or "2", seg[8], seg[9], seg[1])


def write_party(w: SegmentWriter, entity_code: str, party: Party) -> None:
    person = party.entity_type == "1"
    w.add(
        "NM1",
        entity_code,
        party.entity_type or "2",
        party.name,
        party.first_name if person else "",
        party.middle_name if person else "",
        "",
        "",
        party.id_qualifier if party.identifier else "",
        party.identifier,
    )


def write_person_name(w: SegmentWriter, entity_code: str, person: Person) -> None:
    w.add(
        "NM1",
        entity_code,
        "1",
        person.last_name,
        person.first_name,
        person.middle_name,
        "",
        person.suffix,
        "MI" if person.member_id else "",
        person.member_id,
    )


_CITY_LINE = re.compile(r"(.*), ([A-Z]{2})(?: (\S+))?")


def address_lines(n3: Segment | None, n4: Segment | None) -> tuple[str, ...]:
    lines: list[str] = []
    if n3 is not None:
        lines.extend(v for v in n3[1:3] if v)
    if n4 is not None:
        city, state, postal = el(n4, 1), el(n4, 2), el(n4, 3)
        line = f"{city}, {state}" if state else city
        lines.append(f"{line} {postal}" if postal else line)
    return tuple(lines)


def write_address(w: SegmentWriter, lines: tuple[str, ...]) -> None:
    if not lines:
        return
    match = _CITY_LINE.fullmatch(lines[-1])
    if match is None or len(lines) > 3:
        raise X12Error(
            "An address is written as one or two street lines and a last line "
            f"'CITY, ST ZIP'; got {lines!r}."
        )
    street = lines[:-1]
    if street:
        w.add("N3", *street)
    w.add("N4", match.group(1), match.group(2), match.group(3) or "")


def rejection_from(seg: Segment, loop: str) -> Rejection:
    code = el(seg, 3)
    follow_up = el(seg, 4)
    return Rejection(
        loop=loop,
        code=code,
        follow_up=follow_up,
        valid_request=el(seg, 1) != "N",
        explanation=codes.reject_reason_words(code),
        retry_may_help=codes.retry_may_help(code, follow_up),
    )


def write_rejection(w: SegmentWriter, rejection: Rejection) -> None:
    w.add("AAA", "Y" if rejection.valid_request else "N", "", rejection.code, rejection.follow_up)


def default_originator(provider: Party) -> str:
    """TRN03: "9" and the provider's ID, cut to the element's 10 characters."""
    return ("9" + provider.identifier)[:10]


def check_required(value: str, what: str) -> str:
    if not value:
        raise X12Error(f"{what} is required.")
    return value
