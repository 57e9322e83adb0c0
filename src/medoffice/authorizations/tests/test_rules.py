"""Code checks: ICD-10-CM by form (simple_icd_10_cm is not installed), CPT and HCPCS."""

from __future__ import annotations

import pytest

from medoffice.authorizations.rules import codes


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [("R07.9", "R07.9"), (" r079 ", "R07.9"), ("I209", "I20.9"), ("E11.65", "E11.65"),
     ("S72.001A", "S72.001A"), ("Z00", "Z00")],
)  # fmt: skip
def test_diagnoses_of_icd10cm_form_are_kept_with_their_dot(raw: str, normalized: str):
    assert codes.normalize_diagnosis(raw) == normalized
    assert codes.diagnosis_is_valid(normalized)


@pytest.mark.parametrize("raw", ["R0", "7R07.9", "RR7.9", "R07.98765", "R07-9", "93015"])
def test_what_is_not_of_icd10cm_form_is_named(raw: str):
    assert codes.diagnoses(["I20.9", raw, "I20.9"]) == (["I20.9"], [raw])


@pytest.mark.parametrize(
    ("code", "kind"),
    [("93015", "CPT"), ("70551", "CPT"), ("0001F", "CPT"), ("0042T", "CPT"), ("G0283", "HCPCS"),
     ("J0585", "HCPCS"), ("9301", ""), ("930155", ""), ("ABCDE", ""), ("9301X", "")],
)  # fmt: skip
def test_cpt_and_hcpcs_are_five_characters_of_their_form(code: str, kind: str):
    assert codes.procedure_kind(code) == kind
    assert codes.procedure_is_valid(code) is bool(kind)


def test_form_input_splits_on_commas_spaces_and_semicolons():
    assert codes.split_codes("R07.9, I20.9 ;E11.9  ") == ["R07.9", "I20.9", "E11.9"]
