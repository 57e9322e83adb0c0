import pytest
from hypothesis import given
from hypothesis import strategies as st

from medoffice.core import identifiers as ids

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


def test_known_valid_npi_passes() -> None:
    # The CMS example NPI from the check-digit documentation.
    assert ids.npi_is_valid("1234567893") is True


def test_npi_with_wrong_check_digit_fails() -> None:
    assert ids.npi_is_valid("1234567890") is False


def test_npi_must_be_ten_digits() -> None:
    assert ids.npi_is_valid("123456789") is False
    assert ids.npi_is_valid("12345678a3") is False


@given(nine_digits)
def test_make_npi_is_always_valid(base: str) -> None:
    npi = ids.make_npi(base)
    assert len(npi) == 10
    assert npi.startswith(base)
    assert ids.npi_is_valid(npi) is True


@given(nine_digits, st.integers(min_value=0, max_value=9), st.integers(min_value=1, max_value=9))
def test_changing_one_digit_invalidates(base: str, position: int, delta: int) -> None:
    npi = ids.make_npi(base)
    digit = (int(npi[position]) + delta) % 10
    changed = npi[:position] + str(digit) + npi[position + 1 :]
    assert ids.npi_is_valid(changed) is False


def test_make_npi_refuses_bad_base() -> None:
    with pytest.raises(ValueError, match="nine digits"):
        ids.make_npi("12345")


def test_taxonomy_codes() -> None:
    assert ids.taxonomy_code_is_valid("207Q00000X") is True
    assert ids.taxonomy_code_is_valid("363LF0000X") is True
    assert ids.taxonomy_code_is_valid("207Q00000") is False
    assert ids.taxonomy_code_is_valid("207q00000X") is False


def test_states_zip_ein() -> None:
    assert ids.state_code_is_valid("NY") is True
    assert ids.state_code_is_valid("XX") is False
    assert ids.zip_code_is_valid("12401") is True
    assert ids.zip_code_is_valid("12401-1234") is True
    assert ids.zip_code_is_valid("1240") is False
    assert ids.ein_is_valid("12-3456789") is True
    assert ids.ein_is_valid("00-3456789") is False


@given(st.integers(min_value=1, max_value=9_999_999))
def test_make_mrn_is_eight_digits_with_a_valid_check_digit(number: int) -> None:
    mrn = ids.make_mrn(number)
    assert len(mrn) == 8
    assert ids.mrn_is_valid(mrn) is True
    assert int(mrn[:7]) == number


def test_mrn_with_a_typo_fails_the_check_digit() -> None:
    mrn = ids.make_mrn(1000001)
    typo = mrn[:3] + str((int(mrn[3]) + 1) % 10) + mrn[4:]
    assert ids.mrn_is_valid(typo) is False
    assert ids.mrn_is_valid("1234567") is False


@pytest.mark.parametrize(
    ("typed", "valid"),
    [("123-45-6789", True), ("123456789", True), ("123 45 6789", True), ("000-12-3456", False),
     ("666-12-3456", False), ("900-12-3456", False), ("123-00-6789", False), ("12-345", False)],
)  # fmt: skip
def test_ssn_rules(typed: str, valid: bool) -> None:
    assert ids.ssn_is_valid(typed) is valid


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_ssn_rules_agree_with_python_stdnum(digits: str) -> None:
    from stdnum.us import ssn

    assert ids.ssn_is_valid(digits) is bool(ssn.is_valid(digits))


def test_advertised_ssns_are_refused() -> None:
    assert ids.ssn_is_valid("078-05-1120") is False
    assert ids.ssn_is_valid("457-55-5462") is False
