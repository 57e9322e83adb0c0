"""The nightly batch through a folder clearinghouse: one 270 batch file out, the payer's 271s
back in the inbound folder, matched by trace number and stored in bulk."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from medoffice.audit.models import AuditEntry
from medoffice.core.identifiers import make_npi
from medoffice.insurance.choices import CheckStatus, ClearinghouseKind
from medoffice.insurance.models import EligibilityBatch, EligibilityCheck
from medoffice.insurance.services import batch
from medoffice.insurance.tests.factories import (
    make_clearinghouse,
    make_coverage,
    make_payer,
    make_plan,
)
from medoffice.interchange.x12 import EnvelopeIds, build_271, read_270
from medoffice.patients.tests.factories import make_patient
from medoffice.payer_sim import load_config
from medoffice.payer_sim.eligibility import answer_eligibility
from medoffice.practice.models import Practice
from medoffice.scheduling.tests import factories as f

pytestmark = pytest.mark.django_db


def _payer_answers(folder: Path) -> int:
    """What the clearinghouse does overnight: answer every 270 in outbound/ into inbound/."""
    config, answered = load_config(), 0
    (folder / "inbound").mkdir(exist_ok=True)
    for sent in sorted((folder / "outbound").glob("*.x12")):
        for number, request in enumerate(read_270(sent.read_text()), start=1):
            ids = EnvelopeIds(
                sender_id="PAYERSIM", receiver_id="MEDOFFICE", interchange_control_number=number,
                group_control_number=number, transaction_control_number=number,
                created=timezone.now(),
            )  # fmt: skip
            text = build_271(request, answer_eligibility(config, request), ids)
            (folder / "inbound" / f"{request.trace_number}.271").write_text(text)
            answered += 1
    return answered


def test_a_batch_file_goes_out_and_its_answers_are_stored(tmp_path):
    Practice.objects.create(name="Lakeside Family Medicine", group_npi=make_npi("123456789"))
    house = make_clearinghouse(kind=ClearinghouseKind.FOLDER, batch_folder=str(tmp_path))
    plan = make_plan(make_payer("Lakeshore Blue Cross", "SIMBC1", clearinghouse=house))
    place = f.location(name="North", time_zone="America/New_York")
    doctor = f.provider_at(place, first_name="Maya", last_name="Okafor")
    visit = f.appointment_type(20, name="Follow-up")
    day = batch.next_business_day(dt.date(2026, 12, 3))
    ana = make_patient(last_name="Rivera", first_name="Ana", birth_date=dt.date(1982, 3, 14))
    make_coverage(ana, plan, member_id="LBC100200300")
    lost = make_patient(last_name="Doe", first_name="Jamie")
    make_coverage(lost, plan, member_id="LBC999999999")
    for hour, patient in ((9, ana), (10, lost)):
        f.raw_appointment(patient, doctor, place, visit, f.local(place, day, hour, 0))

    # When the batch runs, one file with both 270s is dropped
    result = batch.run_day(day)
    assert (result.counts["queued"], result.counts["checked"]) == (2, 0)
    sent = EligibilityBatch.objects.get()
    assert sent.sent_at is not None
    assert EligibilityCheck.objects.filter(batch=sent, status=CheckStatus.SENT).count() == 2
    assert len(list((tmp_path / "outbound").glob("*.x12"))) == 1

    # And once the payer has answered, collecting stores both results at once
    assert _payer_answers(tmp_path) == 2
    assert batch.collect_batch_results(house) == 2
    found = {c.patient_id: c for c in EligibilityCheck.objects.all()}
    assert (found[ana.pk].status, found[ana.pk].copay) == (CheckStatus.ACTIVE, Decimal("25.00"))
    assert found[ana.pk].deductible_remaining == Decimal("650.00")
    assert found[lost.pk].status == CheckStatus.REJECTED
    entry = AuditEntry.objects.filter(detail__what="batch eligibility answers").get()
    assert sorted(entry.detail["patients"]) == sorted([ana.pk, lost.pk])

    # A second collection finds nothing new, and the benefits table is read when shown
    assert batch.collect_batch_results(house) == 0
    from medoffice.insurance import queries

    assert queries.summary_of(found[ana.pk])["benefits"]
