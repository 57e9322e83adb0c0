"""The demo's referrals and authorizations on a tiny set-up (the demo command wires it later)."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from medoffice.authorizations import queries
from medoffice.authorizations.models import PriorAuthorization, Referral
from medoffice.authorizations.tests.factories import make_clinic
from medoffice.demo.authorizations import KEYS, seed_authorizations
from medoffice.insurance.tests.factories import make_coverage
from medoffice.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db


def test_no_coverage_on_such_a_plan_writes_nothing():
    make_patient()
    found = seed_authorizations(rng=random.Random(3), today=timezone.localdate())
    assert found == dict.fromkeys(KEYS, 0)
    assert Referral.objects.count() == 0


def test_a_realistic_set_for_hmo_patients():
    # given nine HMO patients, one of them seen by the cardiologist last month
    clinic = make_clinic()
    for n in range(8):
        make_coverage(make_patient(), clinic.hmo, member_id=f"SUN70000{n}",
                      effective_date=clinic.day(-200))  # fmt: skip
    clinic.appointment(-20, status="checked_out")
    # when
    found = seed_authorizations(rng=random.Random(11), today=clinic.today)
    # then
    assert found["incoming_referrals"] == 4
    assert (found["outgoing_referrals"], found["letters"]) == (1, 1)
    assert (found["authorizations_pending"], found["authorizations_approved"],
            found["authorizations_denied"]) == (1, 1, 1)  # fmt: skip
    statuses = sorted(PriorAuthorization.objects.values_list("status", flat=True))
    assert statuses == ["approved", "denied", "pending"]
    stress = PriorAuthorization.objects.get(status="pending")
    assert [s.code for s in stress.services.all()] == ["93015"]
    assert [d.code for d in stress.diagnoses.all()] == ["R07.9", "I20.9"]
    mri = PriorAuthorization.objects.get(status="approved")
    assert mri.services.get().code == "70551"
    assert mri.certification_number != ""
    incoming = Referral.objects.filter(direction="incoming")
    assert incoming.filter(end_date__lt=clinic.today).count() == 1
    assert all(r.number.startswith("R-") for r in incoming)
    assert Referral.objects.get(direction="outgoing").letter_made_at is not None
    alerts = [a.kind for a in queries.alerts(clinic.today)]
    assert "referral_visits" in alerts
