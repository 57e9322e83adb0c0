"""Check-in, the waiting-room steps and check-out, through the desk's services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from medoffice.audit.models import AuditEntry
from medoffice.frontdesk import queries, services
from medoffice.frontdesk.errors import DeskRefused
from medoffice.frontdesk.models import CheckIn, DemographicsConfirmation
from medoffice.frontdesk.tests.factories import make_desk
from medoffice.scheduling.choices import AppointmentStatus as S

pytestmark = pytest.mark.django_db


def test_check_in_moves_the_appointment_to_arrived_and_keeps_arrival_and_lateness():
    # Given a 9:00 appointment today and a desk whose grace period is 10 minutes
    desk = make_desk()
    appointment = desk.appointment(hour=9)
    # When the patient checks in at 9:25
    found = services.check_in(appointment, acting_user=desk.user, at=desk.at(9, 25))
    # Then the appointment is arrived through scheduling (its history has the step)
    appointment.refresh_from_db()
    assert appointment.status == S.ARRIVED
    assert list(appointment.events.values_list("from_status", "to_status")) == [
        (S.BOOKED, S.ARRIVED)
    ]
    # and the check-in keeps arrival, lateness, the ticket and who checked in
    assert (found.arrived_at, found.minutes_late, found.late) == (desk.at(9, 25), 25, True)
    assert (found.ticket, found.ticket_label, found.checked_in_by) == (1, "A-1", desk.user)
    assert AuditEntry.objects.filter(
        target_type="frontdesk.checkin", target_id=str(found.pk), action="create"
    ).exists()


def test_arriving_within_the_grace_period_is_not_late_and_early_is_zero_minutes():
    desk = make_desk()
    on_time = services.check_in(desk.appointment(hour=9), acting_user=desk.user, at=desk.at(9, 8))
    early = services.check_in(desk.appointment(hour=10), acting_user=desk.user, at=desk.at(9, 40))
    assert (on_time.minutes_late, on_time.late) == (8, False)
    assert (early.minutes_late, early.late, early.ticket) == (0, False, 2)


def test_a_second_check_in_is_refused_and_changes_nothing():
    desk = make_desk()
    appointment = desk.appointment(hour=9)
    services.check_in(appointment, acting_user=desk.user, at=desk.at(9))
    with pytest.raises(DeskRefused, match="already checked in"):
        services.check_in(appointment, acting_user=desk.user, at=desk.at(9, 5))
    assert CheckIn.objects.count() == 1
    assert appointment.events.count() == 1


def test_cancelled_or_other_days_appointments_cannot_be_checked_in():
    desk = make_desk()
    cancelled = desk.appointment(hour=9, status=S.CANCELLED, cancel_reason="patient")
    tomorrow = desk.appointment(hour=9, day=desk.today + dt.timedelta(days=1))
    with pytest.raises(DeskRefused, match="cancelled appointment cannot"):
        services.check_in(cancelled, acting_user=desk.user, at=desk.at(9))
    with pytest.raises(DeskRefused, match="Only today's"):
        services.check_in(tomorrow, acting_user=desk.user, at=desk.at(9))
    assert CheckIn.objects.count() == 0
    tomorrow.refresh_from_db()
    assert tomorrow.status == S.BOOKED


def test_the_visit_moves_roomed_with_provider_ready_and_checked_out():
    # Given a checked-in patient
    desk = make_desk()
    appointment = desk.appointment(hour=9)
    check_in = services.check_in(appointment, acting_user=desk.user, at=desk.at(9))
    # When the visit goes through every step
    services.move_visit(check_in, S.ROOMED, acting_user=desk.user)
    services.move_visit(check_in, S.WITH_PROVIDER, acting_user=desk.user)
    services.move_visit(check_in, "ready_for_checkout", acting_user=desk.user)
    done = services.check_out(check_in, acting_user=desk.user)
    # Then scheduling's history has each status and the desk its own stamps
    appointment.refresh_from_db()
    assert appointment.status == S.CHECKED_OUT
    assert list(appointment.events.values_list("to_status", flat=True)) == [
        S.ARRIVED, S.ROOMED, S.WITH_PROVIDER, S.CHECKED_OUT,
    ]  # fmt: skip
    assert done.ready_for_checkout_at is not None
    assert done.checked_out_at is not None
    assert done.checked_out_by == desk.user
    steps = {s.key: s.at for s in queries.timeline(appointment, done)}
    assert all(steps[k] for k in ("arrived", "roomed", "with_provider", "checked_out"))


def test_ready_for_checkout_before_the_provider_is_refused():
    desk = make_desk()
    check_in = services.check_in(desk.appointment(hour=9), acting_user=desk.user, at=desk.at(9))
    with pytest.raises(DeskRefused, match="with the provider"):
        services.move_visit(check_in, "ready_for_checkout", acting_user=desk.user)
    with pytest.raises(DeskRefused, match="cannot become checked out"):
        services.check_out(check_in, acting_user=desk.user)
    check_in.refresh_from_db()
    assert check_in.ready_for_checkout_at is None
    assert check_in.checked_out_at is None


def test_confirming_demographics_keeps_the_patients_last_confirmed_date():
    desk = make_desk()
    appointment = desk.appointment(hour=9)
    check_in = services.check_in(appointment, acting_user=desk.user, at=desk.at(9))
    services.confirm_demographics(appointment.patient, acting_user=desk.user, check_in=check_in)
    check_in.refresh_from_db()
    last = DemographicsConfirmation.objects.get(patient=appointment.patient)
    assert last.confirmed_by == desk.user
    assert check_in.demographics_confirmed_at == last.confirmed_at
    assert queries.last_confirmed(appointment.patient_id) == last


def test_board_shows_minutes_waited_room_and_the_threshold_colour():
    # Given three patients checked in 5, 25 and 40 minutes ago (amber after 20, red after 35)
    desk = make_desk()
    rows = []
    for minutes, room in ((5, desk.rooms[0]), (25, desk.rooms[1]), (40, None)):
        appointment = desk.appointment(hour=8, minute=0, room=room, overbook=True)
        rows.append(
            services.check_in(
                appointment,
                acting_user=desk.user,
                at=timezone.now() - dt.timedelta(minutes=minutes),
            )
        )
    # When the board is read
    board = queries.board(desk.place)
    # Then the longest wait is first? No: arrival order, each with its wait and colour
    by_id = {r.check_in.pk: r for r in board}
    assert [by_id[c.pk].waited_minutes for c in rows] == [5, 25, 40]
    assert [by_id[c.pk].level for c in rows] == ["ok", "warning", "alert"]
    assert [by_id[c.pk].room for c in rows] == ["Exam 1", "Exam 2", ""]


def test_a_patient_with_the_provider_stops_the_wait_clock():
    desk = make_desk()
    appointment = desk.appointment(hour=8)
    check_in = services.check_in(
        appointment, acting_user=desk.user, at=timezone.now() - dt.timedelta(minutes=50)
    )
    services.move_visit(check_in, S.WITH_PROVIDER, acting_user=desk.user)
    (row,) = queries.board(desk.place)
    assert (row.status, row.level, row.waited_minutes) == (S.WITH_PROVIDER, "ok", 50)
