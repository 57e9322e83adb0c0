"""What the booking screen is told (booking_warnings), what chart prep is told (needs_for), and
the visit counted against the referral when it is booked, from the calendar and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
import pytest
from django.utils import timezone

from medoffice.authorizations import queries, services
from medoffice.authorizations.models import AuthorizationAppointment, ReferralVisit
from medoffice.authorizations.tests.factories import Clinic, make_clinic
from medoffice.insurance.tests.factories import make_coverage
from medoffice.patients.tests.factories import make_patient
from medoffice.scheduling.models import Appointment
from medoffice.scheduling.tests import factories as f
from medoffice.scheduling.tests.api_client import Api, future_monday
from medoffice.scheduling.tests.views_calendar_support import HTMX, text_of
from medoffice.scheduling.views.calendar_links import instant_text

pytestmark = pytest.mark.django_db
NONE_ON_FILE = "This HMO plan needs a referral for Cardiology new patient; none is on file."


@pytest.fixture
def clinic() -> Clinic:
    return make_clinic()


def warnings(clinic: Clinic, kind: Any = None, provider: Any = None, days: int = 7) -> list[str]:
    kind = kind or clinic.cardio_new
    return queries.booking_warnings(
        clinic.patient.pk, kind.pk, (provider or clinic.hart).pk, clinic.at(days)
    )


def test_an_hmo_cardiology_visit_without_a_referral_is_warned(clinic):
    assert warnings(clinic) == [NONE_ON_FILE]


def test_the_warning_goes_once_a_referral_is_on_file_and_the_last_visit_is_named(clinic):
    referral = clinic.referral(visits_authorized=2)
    assert warnings(clinic) == []
    services.link_visit(referral, clinic.appointment(3), acting_user=clinic.desk)
    assert warnings(clinic) == ["Referral R-123 has 1 visit left."]
    services.link_visit(referral, clinic.appointment(4), acting_user=clinic.desk)
    assert warnings(clinic) == ["Referral R-123 has no visits left (2 of 2 used)."]


def test_an_ended_referral_is_named_instead_of_none_on_file(clinic):
    clinic.referral(start_date=clinic.day(-60), end_date=clinic.day(-1))
    assert warnings(clinic) == [
        f"Referral R-123 ended {clinic.day(-1):%m/%d/%Y}: ask the PCP for a new one."
    ]


def test_nothing_is_said_when_the_plan_or_the_type_needs_nothing(clinic):
    plain = f.appointment_type(20, name="Follow-up")
    assert warnings(clinic, kind=plain) == []
    ppo_patient = make_patient(first_name="Ada", last_name="Quill")
    make_coverage(ppo_patient, clinic.ppo, member_id="SUN999999",
                  effective_date=clinic.day(-30))  # fmt: skip
    assert queries.booking_warnings(ppo_patient.pk, clinic.cardio_new.pk, clinic.hart.pk,
                                    clinic.at()) == []  # fmt: skip
    self_pay = make_patient(first_name="Bo", last_name="Nash")
    assert queries.booking_warnings(self_pay.pk, clinic.cardio_new.pk, clinic.hart.pk,
                                    clinic.at()) == []  # fmt: skip


def test_prior_authorization_warnings_follow_its_status(clinic):
    stress = clinic.stress_test
    assert warnings(clinic, kind=stress) == [
        "Prior authorization needed for Stress test; none approved."
    ]
    draft = clinic.authorization()
    assert warnings(clinic, kind=stress) == [
        "Prior authorization for Stress test is drafted but not sent to the payer."
    ]
    services.submit_authorization(draft, acting_user=clinic.desk, via="fax")
    draft.refresh_from_db()
    sent = timezone.localtime(draft.submitted_at).date()
    assert warnings(clinic, kind=stress) == [
        "Prior authorization for Stress test is pending with Sunrise Health "
        f"(submitted {sent:%m/%d/%Y})."
    ]
    services.record_decision(draft, acting_user=clinic.desk, decision="approved",
                             certification_number="AUTH-555")  # fmt: skip
    assert warnings(clinic, kind=stress) == ["Prior authorization AUTH-555 has 1 unit left."]
    assert warnings(clinic, kind=stress, days=90) == [
        f"Prior authorization AUTH-555 ended {clinic.day(60):%m/%d/%Y}."
    ]


def test_needs_for_says_what_each_visit_misses_in_a_fixed_number_of_queries(
    clinic, django_assert_max_num_queries
):
    # given a covered visit, one without a referral, a stress test pending, a visit needing nothing
    referral = clinic.referral()
    covered = clinic.appointment(3)
    services.link_visit(referral, covered, acting_user=clinic.desk)
    other = make_patient(first_name="Ada", last_name="Quill")
    make_coverage(other, clinic.hmo, member_id="SUN222222", effective_date=clinic.day(-30))
    missing = clinic.appointment(3, 11, patient=other)
    services.submit_authorization(clinic.authorization(), acting_user=clinic.desk, via="fax")
    stress = clinic.appointment(4, kind=clinic.stress_test)
    plain = clinic.appointment(5, kind=f.appointment_type(20, name="Follow-up"))
    few = [covered, missing, stress, plain]
    # when
    with django_assert_max_num_queries(9) as small:
        found = queries.needs_for(few)
    # then
    assert found == {
        covered.pk: [],
        missing.pk: [("referral", NONE_ON_FILE)],
        stress.pk: [("prior_auth", found[stress.pk][0][1])],
        plain.pk: [],
    }
    assert found[stress.pk][0][1].startswith("Prior authorization for Stress test is pending")
    # and twenty more visits cost no more queries
    many = few + [clinic.appointment(10 + n, patient=make_patient()) for n in range(20)]
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(queries.needs_for(many)) == 24


def test_count_booked_visit_links_the_matching_referral_and_the_approved_authorization(clinic):
    referral = clinic.referral()
    authorization = clinic.approved()
    visit = clinic.appointment()
    test = clinic.appointment(8, kind=clinic.stress_test)
    assert services.count_booked_visit(visit, acting_user=clinic.desk) == referral
    assert services.count_booked_visit(test, acting_user=clinic.desk) is None
    assert list(ReferralVisit.objects.values_list("appointment_id", flat=True)) == [visit.pk]
    assert list(
        AuthorizationAppointment.objects.filter(authorization=authorization).values_list(
            "appointment_id", flat=True
        )
    ) == [test.pk]


def test_count_booked_visit_does_nothing_when_no_referral_applies(clinic):
    clinic.referral(to_provider=clinic.okafor, specialty="")
    visit = clinic.appointment(provider=clinic.hart)
    assert services.count_booked_visit(visit, acting_user=clinic.desk) is None
    assert ReferralVisit.objects.count() == 0


# ---- the booking screens --------------------------------------------------------------------


def _book_setup(clinic: Clinic) -> dt.datetime:
    f.session(clinic.hart, clinic.place, start=dt.time(8), end=dt.time(17), slot_minutes=20)
    return f.local(clinic.place, future_monday(), 9)


def test_the_booking_panel_warns_and_the_warning_goes_once_the_referral_is_on_file(clinic):
    starts = _book_setup(clinic)
    client = clinic.client()
    params = {
        "provider": clinic.hart.pk, "location": clinic.place.pk, "start": instant_text(starts),
        "patient": clinic.patient.pk, "appointment_type": clinic.cardio_new.pk,
    }  # fmt: skip
    panel = client.get("/schedule/book/", params, headers=HTMX)
    assert NONE_ON_FILE in text_of(panel)
    fragment = client.get("/authorizations/booking-warnings/", params)
    assert NONE_ON_FILE in text_of(fragment)
    clinic.referral(visits_authorized=2)
    assert text_of(client.get("/authorizations/booking-warnings/", params)) == ""


def test_booking_from_the_calendar_counts_the_visit_and_says_so(clinic):
    starts = _book_setup(clinic)
    referral = clinic.referral(visits_authorized=1)
    data = {"provider": clinic.hart.pk, "location": clinic.place.pk, "start": instant_text(starts),
            "patient": clinic.patient.pk, "appointment_type": clinic.cardio_new.pk,
            "reason": "Chest pain", "note": ""}  # fmt: skip
    response = clinic.client().post("/schedule/book/", data, headers=HTMX)
    assert response.status_code == 200
    appointment = Appointment.objects.get()
    assert ReferralVisit.objects.get().appointment_id == appointment.pk
    text = text_of(response)
    assert "The visit counts against Referral R-123." in text
    assert "Referral R-123 has 1 visit left." in text
    assert type(referral).objects.get(pk=referral.pk).visits_left == 0


def test_the_booking_api_answers_its_warnings_and_counts_the_visit(clinic):
    starts = _book_setup(clinic)
    api = Api(clinic.desk)
    body = {"patient_id": clinic.patient.pk, "provider_id": clinic.hart.pk,
            "location_id": clinic.place.pk, "appointment_type_id": clinic.cardio_new.pk,
            "starts_at": starts.isoformat()}  # fmt: skip
    first = api.call("post", "/api/appointments", body)
    assert first.status_code == 201, first.content
    assert orjson.loads(first.content)["warnings"] == [NONE_ON_FILE]
    clinic.referral()
    body["starts_at"] = (starts + dt.timedelta(hours=1)).isoformat()
    second = api.call("post", "/api/appointments", body)
    assert orjson.loads(second.content)["warnings"] == []
    assert ReferralVisit.objects.get().appointment_id == orjson.loads(second.content)["id"]
