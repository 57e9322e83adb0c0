"""US phone parsing: what the desk types becomes E.164, or a message in plain words."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medoffice.core import phones


@pytest.mark.parametrize(
    "typed",
    ["(555) 201-7788", "555.201.7788", "555 201 7788", "+1 555 201 7788", "1-555-201-7788",
     "5552017788", " (555)201-7788 "],
)  # fmt: skip
def test_common_ways_of_writing_a_number_give_e164(typed: str) -> None:
    assert phones.to_e164(typed) == "+15552017788"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a phone number"),
        ("hello", "not a phone number"),
        ("201-7788", "10 digits"),
        ("(055) 201-7788", "10 digits"),
        ("(555) 101-7788", "10 digits"),
        ("+44 20 7946 0958", "Only US phone numbers"),
        ("555 201 7788 x12", "extension in its own field"),
        ("55520177889999", "10 digits"),
    ],
)
def test_unusable_numbers_are_refused_with_a_reason(typed: str, message: str) -> None:
    with pytest.raises(phones.PhoneError, match=message):
        phones.to_e164(typed)


def test_display_formats_stored_numbers() -> None:
    assert phones.display("+15552017788") == "(555) 201-7788"
    assert phones.display("not stored") == "not stored"
    assert phones.digits10("+15552017788") == "5552017788"


@given(st.text(max_size=40))
def test_any_text_either_parses_or_raises_phone_error(text: str) -> None:
    try:
        result = phones.to_e164(text)
    except phones.PhoneError:
        return
    assert result.startswith("+1")
    assert len(result) == 12
