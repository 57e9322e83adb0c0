"""Chart prep for the next business day: forms from intake, demographics, referral and
authorization flags, honest "not checked yet" lines; the huddle sheet PDF per provider."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from medoffice.core.pdf import pdf_text
from medoffice.frontdesk import chart_prep, services
from medoffice.frontdesk.tests.factories import ZONE, make_desk
from medoffice.insurance.choices import PlanType
from medoffice.insurance.tests.factories import make_coverage, make_plan
from medoffice.intake.tests.factories import signed_forms
from medoffice.patients.tests.factories import make_patient
from medoffice.scheduling.models import ScheduleException
from medoffice.scheduling.tests import factories as f

pytestmark = pytest.mark.django_db
EVERY_FORM = [
    "registration", "npp-acknowledgment", "consent-to-treat", "financial-policy",
    "medical-history",
]  # fmt: skip
THURSDAY = dt.date(2026, 12, 3)


def test_the_next_business_day_skips_the_weekend_and_a_closed_monday():
    desk = make_desk()
    zone = zoneinfo.ZoneInfo(ZONE)
    friday = dt.date(2026, 12, 4)
    assert chart_prep.prep_day(desk.place, today=THURSDAY) == friday
    ScheduleException.objects.create(
        location=desk.place, kind="closed",
        starts_at=dt.datetime(2026, 12, 7, tzinfo=zone),
        ends_at=dt.datetime(2026, 12, 8, tzinfo=zone),
    )  # fmt: skip
    assert chart_prep.prep_day(desk.place, today=friday) == dt.date(2026, 12, 8)


def test_each_appointment_lists_what_is_missing():
    # Given tomorrow: a new patient owing every form, and a patient with forms signed and
    # demographics confirmed, on an HMO plan, booked for a visit that needs a referral and an
    # authorization, with neither on file
    desk = make_desk()
    day = dt.date(2026, 12, 4)
    new = desk.appointment(make_patient(first_name="Ana", last_name="Newby"), hour=9, day=day)
    known = make_patient(first_name="Kim", last_name="Regular")
    signed_forms(known, EVERY_FORM)
    services.confirm_demographics(known, acting_user=desk.user)
    hmo = make_plan(
        plan_type=PlanType.HMO, requires_referral=True, requires_prior_authorization=True
    )
    make_coverage(known, hmo)
    consult = f.appointment_type(40, name="Cardiology consult", needs_referral=True,
                                 needs_prior_authorization=True)  # fmt: skip
    referred = desk.appointment(known, hour=10, day=day, kind=consult)
    # When chart prep is read for that day
    rows = {r.appointment.pk: r for r in chart_prep.prep_rows(desk.place, day)}
    # Then the new patient needs forms and a demographics check
    assert [i.key for i in rows[new.pk].actions] == ["forms", "demographics", "eligibility"]
    assert rows[new.pk].items[0].label.startswith("Forms due: Patient registration")
    assert rows[new.pk].forms_link == f"/intake/patients/{new.patient_id}/"
    # and the referred patient needs the referral and the authorization checked
    assert [i.key for i in rows[referred.pk].actions] == ["referral", "prior_auth", "eligibility"]
    # and eligibility is said as it stands (no coverage; not checked), nobody owes anything
    items = {i.key: i.label for i in rows[new.pk].items}
    assert items["eligibility"].startswith("No coverage on file")
    items = {i.key: i.label for i in rows[referred.pk].items}
    assert items["eligibility"] == "Eligibility not checked (Acme Health)"
    for row in rows.values():
        assert {i.key: i.label for i in row.items}["balance"] == chart_prep.NO_BALANCE


def test_confirming_demographics_from_chart_prep_clears_the_item():
    desk = make_desk()
    day = desk.today + dt.timedelta(days=1)
    appointment = desk.appointment(hour=9, day=day)
    client = desk.client()
    response = client.post(f"/desk/visits/{appointment.pk}/demographics/", {"next": "chart_prep"})
    assert response.status_code == 302
    (row,) = chart_prep.prep_rows(desk.place, day)
    assert "demographics" not in [i.key for i in row.items]


def test_the_huddle_sheet_pdf_lists_the_providers_day():
    desk = make_desk()
    day = desk.today + dt.timedelta(days=1)
    desk.appointment(make_patient(first_name="Ana", last_name="Newby"), hour=9, day=day)
    response = desk.client().get(
        f"/desk/chart-prep/huddle/{desk.doctor.pk}/?location={desk.place.pk}&date={day}"
    )
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "Huddle sheet · Maya Okafor, MD" in text
    assert "Newby, Ana" in text
    assert "9:00 AM" in text
    assert "Forms due" in text


def test_the_chart_prep_page_offers_one_click_fixes():
    desk = make_desk()
    day = desk.today + dt.timedelta(days=1)
    appointment = desk.appointment(hour=9, day=day)
    html = desk.client().get(f"/desk/chart-prep/?location={desk.place.pk}&date={day}")
    page = html.content.decode()
    assert f"/desk/visits/{appointment.pk}/demographics/" in page
    assert f"/intake/patients/{appointment.patient_id}/" in page
    assert "No coverage on file" in page
