"""Referrals: recording (NPI check digit, codes), visits used counted only from appointments in
a countable status, counting refused with the reason and nothing changed, cancelling."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from medoffice.audit.models import AuditEntry
from medoffice.authorizations import services
from medoffice.authorizations.errors import AuthorizationRefused, VisitNotCounted
from medoffice.authorizations.models import Referral, ReferralVisit
from medoffice.authorizations.tests.factories import PCP_NPI, Clinic, make_clinic

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic() -> Clinic:
    return make_clinic()


def test_an_incoming_referral_takes_the_referrers_name_and_npi_from_the_address_book(clinic):
    # when
    referral = clinic.referral(diagnosis_codes=["r079", "I209"])
    # then
    referral.refresh_from_db()
    assert (referral.referring_name, referral.referring_npi) == ("Adaeze Okonkwo, MD", PCP_NPI)
    assert referral.diagnosis_codes == ["R07.9", "I20.9"]
    assert (referral.visits_used, referral.visits_left, referral.status) == (0, 3, "active")
    entry = AuditEntry.objects.get(target_type="authorizations.referral", action="create")
    assert entry.patient_id == clinic.patient.pk
    assert entry.detail == {}  # field names only, no values


def test_an_npi_whose_check_digit_fails_is_refused_and_nothing_is_saved(clinic):
    with pytest.raises(ValidationError) as refused:
        clinic.referral(
            referring_provider=None, referring_name="Dr. Who", referring_npi="1234567890"
        )
    assert refused.value.message_dict == {
        "referring_npi": ["This NPI's check digit does not match: check the ten digits."]
    }
    assert Referral.objects.count() == 0
    assert not AuditEntry.objects.filter(target_type="authorizations.referral").exists()


def test_bad_codes_dates_and_a_missing_referrer_are_each_named(clinic):
    with pytest.raises(ValidationError) as refused:
        clinic.referral(
            referring_provider=None, diagnosis_codes=["R07.9", "chest pain"],
            start_date=clinic.day(5), end_date=clinic.day(1),
        )  # fmt: skip
    assert refused.value.message_dict == {
        "referring_name": ["Name the provider who refers the patient."],
        "end_date": ["The referral ends before it starts."],
        "diagnosis_codes": ["Not ICD-10-CM codes: chest pain"],
    }


def test_a_second_active_referral_with_the_same_number_is_refused(clinic):
    clinic.referral()
    with pytest.raises(ValidationError) as refused:
        clinic.referral()
    assert refused.value.message_dict == {
        "number": ["This patient already has an active referral with this number."]
    }
    assert Referral.objects.count() == 1


def test_visits_used_counts_only_appointments_in_a_countable_status(clinic):
    # given a referral for 3 visits and four appointments counted against it
    referral = clinic.referral(visits_authorized=4)
    booked = clinic.appointment(3)
    done = clinic.appointment(4, status="checked_out")
    cancelled = clinic.appointment(5)
    no_show = clinic.appointment(6)
    for appointment in (booked, done, cancelled, no_show):
        services.link_visit(referral, appointment, acting_user=clinic.desk)
    # when two of them are cancelled and missed afterwards (no hook needed)
    type(cancelled).objects.filter(pk=cancelled.pk).update(
        status="cancelled", cancel_reason="patient"
    )
    type(no_show).objects.filter(pk=no_show.pk).update(status="no_show")
    # then only the booked and the checked-out visit count, in every read
    from medoffice.authorizations import queries

    assert Referral.objects.get(pk=referral.pk).visits_used == 2
    [counted] = queries.referrals_of(clinic.patient.pk)
    assert (counted.visits_used, counted.visits_left) == (2, 2)
    assert ReferralVisit.objects.filter(referral=referral).count() == 4


def test_the_last_visit_is_taken_once_then_counting_is_refused_and_nothing_changes(clinic):
    referral = clinic.referral(visits_authorized=1)
    services.link_visit(referral, clinic.appointment(3), acting_user=clinic.desk)
    second = clinic.appointment(10)
    audits = AuditEntry.objects.count()
    # when
    with pytest.raises(VisitNotCounted) as refused:
        services.link_visit(referral, second, acting_user=clinic.desk)
    # then
    assert refused.value.message == "Referral R-123 has no visits left (1 of 1 used)."
    assert ReferralVisit.objects.filter(appointment=second).count() == 0
    assert AuditEntry.objects.count() == audits


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ({"days": 90}, "Referral R-123 ended {end}: ask the PCP for a new one."),
        ({"provider": "okafor"}, "Referral R-123 is for Lena Hart, MD, not this provider."),
    ],
)
def test_a_visit_out_of_range_or_with_another_provider_is_not_counted(clinic, setup, message):
    referral = clinic.referral()
    provider = getattr(clinic, setup.get("provider", "hart"))
    appointment = clinic.appointment(setup.get("days", 7), provider=provider)
    with pytest.raises(VisitNotCounted) as refused:
        services.link_visit(referral, appointment, acting_user=clinic.desk)
    assert refused.value.message == message.format(end=f"{clinic.day(80):%m/%d/%Y}")
    assert ReferralVisit.objects.count() == 0


def test_a_referral_for_a_specialty_counts_only_visits_with_that_specialty(clinic):
    referral = clinic.referral(to_provider=None, specialty="Cardiology")
    with pytest.raises(VisitNotCounted) as refused:
        services.link_visit(
            referral, clinic.appointment(provider=clinic.okafor), acting_user=clinic.desk
        )
    assert (
        refused.value.message
        == "Referral R-123 is for Cardiology; this provider is Family medicine."
    )
    visit = services.link_visit(referral, clinic.appointment(8), acting_user=clinic.desk)
    assert visit.referral_id == referral.pk


def test_a_cancelled_appointment_or_another_patients_is_not_counted(clinic):
    from medoffice.patients.tests.factories import make_patient

    referral = clinic.referral()
    cancelled = clinic.appointment(status="cancelled", cancel_reason="patient")
    with pytest.raises(AuthorizationRefused) as first:
        services.link_visit(referral, cancelled, acting_user=clinic.desk)
    other = clinic.appointment(9, patient=make_patient(first_name="Ada", last_name="Quill"))
    with pytest.raises(AuthorizationRefused) as second:
        services.link_visit(referral, other, acting_user=clinic.desk)
    assert first.value.message == "A cancelled appointment does not count against Referral R-123."
    assert second.value.message == "This appointment is for another patient."
    assert ReferralVisit.objects.count() == 0


def test_an_appointment_counts_against_one_referral_only(clinic):
    first = clinic.referral()
    second = clinic.referral(number="R-124")
    appointment = clinic.appointment()
    services.link_visit(first, appointment, acting_user=clinic.desk)
    with pytest.raises(VisitNotCounted) as refused:
        services.link_visit(second, appointment, acting_user=clinic.desk)
    assert refused.value.message == "This appointment already counts against Referral R-123."


def test_unlinking_gives_the_visit_back(clinic):
    referral = clinic.referral(visits_authorized=1)
    appointment = clinic.appointment()
    services.link_visit(referral, appointment, acting_user=clinic.desk)
    services.unlink_visit(referral, appointment, acting_user=clinic.desk)
    assert Referral.objects.get(pk=referral.pk).visits_left == 1
    assert AuditEntry.objects.filter(action="delete", target_type="authorizations.referralvisit",
                                     patient_id=clinic.patient.pk).count() == 1  # fmt: skip


def test_changing_refuses_fewer_visits_than_already_used(clinic):
    referral = clinic.referral(visits_authorized=2)
    services.link_visit(referral, clinic.appointment(3), acting_user=clinic.desk)
    services.link_visit(referral, clinic.appointment(4), acting_user=clinic.desk)
    with pytest.raises(ValidationError) as refused:
        services.change_referral(referral, acting_user=clinic.desk, visits_authorized=1)
    assert refused.value.message_dict == {
        "visits_authorized": ["2 visits already count against it."]
    }
    changed = services.change_referral(referral, acting_user=clinic.desk, visits_authorized=6)
    assert Referral.objects.get(pk=changed.pk).visits_authorized == 6
    entry = AuditEntry.objects.filter(action="update", target_type="authorizations.referral").get()
    assert entry.fields == ["visits_authorized"]


def test_a_cancelled_referral_counts_nothing_and_cannot_be_changed(clinic):
    referral = clinic.referral()
    services.cancel_referral(referral, acting_user=clinic.desk, reason="Entered twice")
    with pytest.raises(VisitNotCounted) as refused:
        services.link_visit(referral, clinic.appointment(), acting_user=clinic.desk)
    assert refused.value.message == "Referral R-123 was cancelled."
    with pytest.raises(AuthorizationRefused):
        services.change_referral(referral, acting_user=clinic.desk, visits_authorized=5)
    again = clinic.referral()  # the number is free again once cancelled
    assert again.number == "R-123"


def test_an_outgoing_referral_needs_the_specialist_and_our_provider(clinic):
    with pytest.raises(ValidationError) as refused:
        clinic.referral(direction="outgoing", to_provider=None, referring_provider=None)
    assert refused.value.message_dict == {
        "to_specialist": ["Choose the specialist the patient is referred to."],
        "from_provider": ["Choose our provider who refers (signs the letter)."],
    }
    made = clinic.referral(direction="outgoing", to_provider=None, referring_provider=None,
                           to_specialist=clinic.specialist, from_provider=clinic.okafor,
                           specialty="", number="")  # fmt: skip
    assert (made.specialty, made.to_provider_id) == ("Gastroenterology", None)
