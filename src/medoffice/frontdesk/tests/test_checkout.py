"""Check-out: a follow-up booked in the week it lands on, excuse notes as signed PDFs kept on
the patient and in the audit trail, the appointment card."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from medoffice.audit.models import AuditEntry
from medoffice.core.pdf import pdf_text
from medoffice.frontdesk import excuse_notes, follow_ups, queries
from medoffice.frontdesk.errors import NoFollowUpSlot
from medoffice.frontdesk.models import ExcuseNote, FollowUpRequest
from medoffice.frontdesk.rules import followup
from medoffice.frontdesk.tests.factories import ZONE, make_desk
from medoffice.scheduling.choices import AppointmentStatus as S
from medoffice.scheduling.models import Appointment, ScheduleException

pytestmark = pytest.mark.django_db


def _local(at: dt.datetime) -> dt.datetime:
    return at.astimezone(zoneinfo.ZoneInfo(ZONE))


def test_return_in_3_months_is_booked_in_the_week_it_lands_on():
    # Given a visit today with Dr. Okafor
    desk = make_desk()
    visit = desk.appointment(hour=9)
    landing = followup.landing(desk.today, 3, "months")
    # When the desk books "return in 3 months"
    found = follow_ups.book_follow_up(
        visit, acting_user=desk.user, interval=3, unit="months", appointment_type=desk.kind
    )
    # Then a new appointment with the same provider falls in that Monday-Sunday week
    booked = found.booked_appointment
    assert booked is not None
    assert booked.pk != visit.pk
    assert landing.week_starts <= _local(booked.starts_at).date() <= landing.week_ends
    assert _local(booked.starts_at).time() == dt.time(8)  # the first open slot that week
    assert (booked.provider_id, booked.patient_id, booked.status) == (
        desk.doctor.pk, visit.patient_id, S.BOOKED,
    )  # fmt: skip
    assert (found.target_date, found.week_starts) == (landing.target, landing.week_starts)
    assert booked.reason == "Follow-up in 3 months"
    assert AuditEntry.objects.filter(target_type="frontdesk.followuprequest").count() == 1


def test_a_full_week_offers_the_first_open_times_after_it():
    desk = make_desk()
    visit = desk.appointment(hour=9)
    landing = followup.landing(desk.today, 6, "weeks")
    # The provider is away the whole week the follow-up lands on
    zone = zoneinfo.ZoneInfo(ZONE)
    ScheduleException.objects.create(
        provider=desk.doctor, kind="vacation",
        starts_at=dt.datetime.combine(landing.week_starts, dt.time(0), tzinfo=zone),
        ends_at=dt.datetime.combine(landing.week_ends, dt.time(23, 59), tzinfo=zone),
    )  # fmt: skip
    proposal = follow_ups.propose(visit, interval=6, unit="weeks", appointment_type=desk.kind)
    assert proposal.in_week is False
    assert proposal.slots
    assert all(_local(s.starts_at).date() > landing.week_ends for s in proposal.slots)


def test_a_time_no_longer_open_is_refused_and_nothing_is_booked():
    desk = make_desk()
    visit = desk.appointment(hour=9)
    before = Appointment.objects.count()
    with pytest.raises(NoFollowUpSlot, match="no longer open"):
        follow_ups.book_follow_up(
            visit, acting_user=desk.user, interval=2, unit="weeks", appointment_type=desk.kind,
            starts_at=desk.at(3, 0),
        )  # fmt: skip
    assert Appointment.objects.count() == before
    assert FollowUpRequest.objects.count() == 0


def test_a_work_excuse_note_pdf_names_the_patient_provider_and_dates():
    desk = make_desk()
    visit = desk.appointment(hour=9)
    first = desk.today
    through = first + dt.timedelta(days=1)
    note = excuse_notes.issue_excuse_note(
        acting_user=desk.user, patient=visit.patient, provider=desk.doctor, kind="work",
        visit_date=first, excused_from=first, excused_through=through, appointment=visit,
    )  # fmt: skip
    data = excuse_notes.note_pdf(note, acting_user=desk.user)
    text = " ".join(pdf_text(data).split())
    assert data.startswith(b"%PDF")
    assert "Work excuse" in text
    assert "Jonah Smithers" in text
    assert f"from {first:%m/%d/%Y} through {through:%m/%d/%Y}" in text
    assert f"return to work on {through + dt.timedelta(days=1):%m/%d/%Y}" in text
    assert "Electronically signed by Maya Okafor, MD" in text
    # kept on the patient's record and in the audit trail (created, then read)
    assert [n.pk for n in queries.excuse_notes_of(visit.patient_id)] == [note.pk]
    actions = list(
        AuditEntry.objects.filter(target_type="frontdesk.excusenote")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "read"]


def test_excuse_note_dates_out_of_order_are_refused_and_nothing_is_kept():
    from django.core.exceptions import ValidationError

    desk = make_desk()
    visit = desk.appointment(hour=9)
    with pytest.raises(ValidationError) as caught:
        excuse_notes.issue_excuse_note(
            acting_user=desk.user, patient=visit.patient, provider=desk.doctor, kind="school",
            visit_date=desk.today, excused_from=desk.today,
            excused_through=desk.today - dt.timedelta(days=1),
        )  # fmt: skip
    assert "excused_through" in caught.value.message_dict
    assert ExcuseNote.objects.count() == 0


def test_the_pdf_title_names_nobody():
    desk = make_desk()
    visit = desk.appointment(hour=9)
    note = excuse_notes.issue_excuse_note(
        acting_user=desk.user, patient=visit.patient, provider=desk.doctor, kind="school",
        visit_date=desk.today, excused_from=desk.today, excused_through=desk.today,
    )  # fmt: skip
    data = excuse_notes.note_pdf(note, acting_user=desk.user)
    assert b"Smithers" not in data.split(b"/Title", 1)[-1][:80]
    assert "School excuse" in pdf_text(data)


def test_checkout_page_books_the_follow_up_and_prints_the_card():
    desk = make_desk()
    visit = desk.appointment(hour=9)
    check_in = desk.checked_in(visit)
    from medoffice.frontdesk import services

    services.move_visit(check_in, S.WITH_PROVIDER, acting_user=desk.user)
    client = desk.client()
    url = f"/desk/visits/{visit.pk}/follow-up/"
    proposed = client.post(
        url, {"interval": "3", "unit": "months", "appointment_type": desk.kind.pk}
    )
    html = proposed.content.decode()
    assert "Lands on" in html
    assert 'name="starts_at"' in html
    first = html.split('name="starts_at" value="')[1].split('"')[0]
    booked = client.post(url, {"interval": "3", "unit": "months",
                               "appointment_type": desk.kind.pk, "starts_at": first})  # fmt: skip
    assert booked.status_code == 302
    request = FollowUpRequest.objects.get()
    assert request.booked_appointment.starts_at == dt.datetime.fromisoformat(first)
    card = client.get(f"/desk/visits/{visit.pk}/card/")
    assert card["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(card.content).split())
    assert "Jonah Smithers" in text
    assert f"{_local(request.booked_appointment.starts_at):%B} " in text
    out = client.post(f"/desk/visits/{visit.pk}/check-out/")
    assert out.status_code == 302
    visit.refresh_from_db()
    assert visit.status == S.CHECKED_OUT


def test_the_patients_desk_record_lists_excuse_notes_and_check_ins():
    desk = make_desk()
    visit = desk.appointment(hour=9)
    desk.checked_in(visit)
    note = excuse_notes.issue_excuse_note(
        acting_user=desk.user, patient=visit.patient, provider=desk.doctor, kind="work",
        visit_date=desk.today, excused_from=desk.today, excused_through=desk.today,
        appointment=visit,
    )  # fmt: skip
    page = desk.client().get(f"/desk/patients/{visit.patient_id}/").content.decode()
    assert f"/desk/notes/{note.pk}/pdf/" in page
    assert f"/desk/visits/{visit.pk}/" in page
    assert AuditEntry.objects.filter(
        action="read", patient_id=visit.patient_id, detail__what="desk record"
    ).exists()
