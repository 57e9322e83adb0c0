"""Due rules and question conditions, without a database."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from medoffice.intake.rules.conditions import QuestionRule, missing, visible
from medoffice.intake.rules.due import Due, DueRule, add_months, forms_due, reason_due

REGISTRATION = DueRule("registration", "Patient registration", for_new_patients=True)
NPP = DueRule("npp-acknowledgment", "NPP", False, "acknowledgment", 12)
CONSENT = DueRule("consent-to-treat", "Consent to treat", True, "expires", 12)
ON = dt.date(2026, 3, 2)

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))


def test_new_patient_owes_the_new_patient_forms_and_the_npp():
    assert forms_due([REGISTRATION, NPP, CONSENT], {}, ON) == [
        Due("registration", "Patient registration", "new patient"),
        Due("npp-acknowledgment", "NPP", "yearly acknowledgment due"),
        Due("consent-to-treat", "Consent to treat", "new patient"),
    ]


def test_consent_expires_on_the_same_day_a_year_later():
    assert reason_due(CONSENT, dt.date(2025, 3, 1), dt.date(2026, 2, 28)) is None
    assert reason_due(CONSENT, dt.date(2025, 3, 1), dt.date(2026, 3, 1)) == (
        "consent expired on 2026-03-01"
    )


def test_once_only_forms_are_never_due_again():
    assert reason_due(REGISTRATION, dt.date(2001, 1, 1), ON) is None


def test_periods_other_than_a_year_are_named():
    two_years = DueRule("npp", "NPP", False, "acknowledgment", 24)
    assert reason_due(two_years, None, ON) == "every 2 years acknowledgment due"
    quarterly = DueRule("x", "Screening", False, "expires", 3)
    assert reason_due(quarterly, dt.date(2025, 1, 1), ON) == "screening expired on 2025-04-01"


def test_add_months_clamps_to_the_month_end():
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)


@given(signed=days, on=days)
def test_a_renewing_form_is_due_exactly_from_its_end_date(signed, on):
    due = reason_due(CONSENT, signed, on) is not None
    assert due == (on >= add_months(signed, 12))


@given(day=days, months=st.integers(min_value=1, max_value=240))
def test_add_months_moves_forward_by_about_the_months(day, months):
    moved = add_months(day, months)
    assert moved > day
    assert (moved.year - day.year) * 12 + moved.month - day.month == months


QUESTIONS = [
    QuestionRule("takes", "Medications?", "yes_no", required=True),
    QuestionRule("meds", "Which", "long_text", True, show_if_key="takes", show_if_value="yes"),
    QuestionRule("dose", "Dose", "short_text", True, show_if_key="meds", show_if_value="x"),
    QuestionRule("sign", "Signature", "signature", required=True),
]


def test_conditional_question_shows_only_when_its_answer_matches():
    assert visible(QUESTIONS, {"takes": "no"}) == ["takes", "sign"]
    assert visible(QUESTIONS, {"takes": "Yes "}) == ["takes", "meds", "sign"]


def test_a_question_under_a_hidden_question_stays_hidden():
    assert visible(QUESTIONS, {"takes": "no", "meds": "x"}) == ["takes", "sign"]


def test_required_visible_questions_left_blank_are_missing():
    assert missing(QUESTIONS, {}) == ["takes"]
    assert missing(QUESTIONS, {"takes": "yes", "meds": "  "}) == ["meds"]
    assert missing(QUESTIONS, {"takes": "no"}) == []


@given(answer=st.sampled_from(["yes", "no", "", "YES"]))
def test_hidden_questions_are_never_missing(answer):
    shown = set(visible(QUESTIONS, {"takes": answer}))
    assert set(missing(QUESTIONS, {"takes": answer})) <= shown
