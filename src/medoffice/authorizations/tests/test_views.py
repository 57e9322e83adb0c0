"""The pages: worklist, the patient's page, referral and authorization forms with their
refusals, submitting and deciding, printing, linking; audited reads and query counts."""

from __future__ import annotations

import pytest

from medoffice.accounts.choices import Role
from medoffice.accounts.tests.factories import make_user
from medoffice.audit.models import AuditEntry
from medoffice.authorizations import services
from medoffice.authorizations.models import PriorAuthorization, Referral, ReferralVisit
from medoffice.authorizations.tests.factories import PCP_NPI, Clinic, make_clinic
from medoffice.core.pdf import pdf_text
from medoffice.insurance.tests.factories import make_coverage
from medoffice.patients.tests.factories import make_patient
from medoffice.scheduling.tests.views_calendar_support import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic() -> Clinic:
    return make_clinic()


def _words(data: bytes) -> str:
    return " ".join(pdf_text(data).split())


def test_the_worklist_shows_waiting_requests_and_alerts_in_a_fixed_number_of_queries(
    clinic, django_assert_max_num_queries
):
    services.submit_authorization(clinic.authorization(), acting_user=clinic.desk, via="fax")
    clinic.referral(visits_authorized=1)
    client = clinic.client()
    with django_assert_max_num_queries(40) as one:
        page = client.get("/authorizations/")
    text = text_of(page)
    assert "Smithers, Jonah" in text
    assert "Pending" in text or "Submitted" in text
    assert "Referral R-123 has 1 visit left." in text
    for n in range(5):
        other = make_patient()
        covered = make_coverage(other, clinic.hmo, member_id=f"SUN90000{n}",
                                effective_date=clinic.day(-30))  # fmt: skip
        services.submit_authorization(
            clinic.authorization(patient=other, coverage=covered), acting_user=clinic.desk,
            via="fax",
        )  # fmt: skip
        clinic.referral(patient=other, coverage=covered, number=f"R-9{n}", visits_authorized=1)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get("/authorizations/").status_code == 200
    shown = AuditEntry.objects.filter(action="read", detail__what="authorizations worklist").last()
    assert clinic.patient.pk in shown.detail["shown"]


def test_the_patient_page_lists_both_and_is_an_audited_read(clinic, django_assert_max_num_queries):
    clinic.referral()
    clinic.approved()
    client = clinic.client()
    with django_assert_max_num_queries(40) as one:
        page = client.get(f"/authorizations/patients/{clinic.patient.pk}/")
    text = text_of(page)
    assert "Referral R-123" in text
    assert "0 of 3" in text
    assert "Prior authorization AUTH-555" in text
    assert "93015\N{MULTIPLICATION SIGN}1" in text
    assert "no-store" in page["Cache-Control"]
    entry = AuditEntry.objects.filter(action="read", patient_id=clinic.patient.pk).last()
    assert entry.detail == {"what": "referrals and authorizations"}
    for n in range(4):
        clinic.referral(number=f"R-50{n}")
        clinic.approved(number=f"AUTH-60{n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(f"/authorizations/patients/{clinic.patient.pk}/")


def test_recording_an_incoming_referral_from_the_form(clinic):
    client = clinic.client()
    url = f"/authorizations/patients/{clinic.patient.pk}/referrals/new/"
    assert client.get(url + "?direction=incoming").status_code == 200
    data = {
        "direction": "incoming", "coverage": clinic.coverage.pk, "number": "R-777",
        "referring_name": "Dr. Adaeze Okonkwo", "referring_npi": PCP_NPI,
        "to_provider": clinic.hart.pk, "specialty": "", "diagnosis_codes": "R07.9, I20.9",
        "visits_authorized": "3", "start_date": clinic.today.isoformat(),
        "end_date": clinic.day(90).isoformat(),
    }  # fmt: skip
    response = client.post(url, data)
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/authorizations/referrals/{referral.pk}/"
    assert (referral.specialty, referral.diagnosis_codes) == ("cardiology", ["R07.9", "I20.9"])


def test_a_bad_npi_on_the_form_answers_422_with_the_reason_and_keeps_what_was_typed(clinic):
    url = f"/authorizations/patients/{clinic.patient.pk}/referrals/new/"
    data = {"direction": "incoming", "referring_name": "Dr. Who", "referring_npi": "1234567890",
            "visits_authorized": "3", "start_date": clinic.today.isoformat(),
            "reason": "Palpitations"}  # fmt: skip
    response = clinic.client().post(url, data)
    assert response.status_code == 422
    assert "This NPI's check digit does not match" in text_of(response)
    assert 'value="Palpitations"' in response.content.decode()
    assert Referral.objects.count() == 0


def test_drafting_with_repeatable_rows_adds_a_line_and_names_a_bad_code(clinic):
    client = clinic.client()
    url = f"/authorizations/patients/{clinic.patient.pk}/authorizations/new/"
    assert 'name="service-3-code"' in client.get(url).content.decode()
    base = {
        "coverage": clinic.coverage.pk, "appointment_type": clinic.stress_test.pk,
        "requesting_provider": clinic.hart.pk, "service-1-code": "93015", "service-1-units": "1",
        "service-2-code": "", "service-2-units": "1", "service-3-code": "", "service-3-units": "1",
        "diagnosis-1": "R07.9", "diagnosis-2": "I20.9", "diagnosis-3": "", "diagnosis-4": "",
    }  # fmt: skip
    more = client.post(url, {**base, "more": "service"})
    assert 'name="service-4-code"' in more.content.decode()
    assert PriorAuthorization.objects.count() == 0
    bad = client.post(url, {**base, "service-2-code": "ABC"})
    assert bad.status_code == 422
    assert "Line 2: not a CPT or HCPCS code" in text_of(bad)
    good = client.post(url, base)
    draft = PriorAuthorization.objects.get()
    assert good["Location"] == f"/authorizations/requests/{draft.pk}/"
    assert [s.code for s in draft.services.all()] == ["93015"]


def test_fax_submit_decision_and_the_request_form_from_the_pages(clinic):
    draft = clinic.authorization()
    client = clinic.client()
    page = client.get(f"/authorizations/requests/{draft.pk}/")
    assert "Record as submitted" in text_of(page)
    assert "Send by X12 278" not in text_of(page)  # Sunrise takes no 278 here
    form = client.get(f"/authorizations/requests/{draft.pk}/form/")
    assert form["Content-Type"] == "application/pdf"
    words = _words(form.content)
    assert "Prior authorization request" in words
    assert "93015" in words
    assert "R07.9" in words
    assert "SUN123456" in words
    assert "Smithers, Jonah" in words
    client.post(f"/authorizations/requests/{draft.pk}/submit/", {"via": "fax"})
    assert PriorAuthorization.objects.get(pk=draft.pk).status == "submitted"
    refused = client.post(f"/authorizations/requests/{draft.pk}/decision/",
                          {"decision": "approved"}, follow=True)  # fmt: skip
    assert "Give the authorization number the payer gave." in text_of(refused)
    client.post(f"/authorizations/requests/{draft.pk}/decision/", {
        "decision": "approved", "certification_number": "AUTH-9001", "units-approved-1": "2",
    })  # fmt: skip
    done = PriorAuthorization.objects.get(pk=draft.pk)
    assert (done.status, done.certification_number) == ("approved", "AUTH-9001")
    assert done.services.get().units_approved == 2
    assert AuditEntry.objects.filter(action="export", patient_id=clinic.patient.pk).count() == 1


def test_an_outgoing_referral_prints_its_letter_and_fax_packet(clinic):
    referral = clinic.referral(direction="outgoing", to_provider=None, referring_provider=None,
                               to_specialist=clinic.specialist, from_provider=clinic.okafor,
                               specialty="", reason="Chronic reflux", number="")  # fmt: skip
    client = clinic.client()
    page = text_of(client.get(f"/authorizations/referrals/{referral.pk}/"))
    assert "sending faxes from medoffice comes with the documents and fax work" in page
    letter = _words(client.get(f"/authorizations/referrals/{referral.pk}/letter/").content)
    assert "I am referring Jonah Smithers to you for gastroenterology evaluation" in letter
    assert "Maya Okafor, MD · NPI" in letter
    packet = _words(client.get(f"/authorizations/referrals/{referral.pk}/packet/").content)
    assert "Fax cover sheet" in packet
    assert "(555) 040-2000" in packet
    assert "Patient demographics and insurance" in packet
    assert "SUN123456" in packet
    assert Referral.objects.get(pk=referral.pk).letter_made_at is not None


def test_counting_a_visit_from_the_referral_page_and_the_refusal_in_words(clinic):
    referral = clinic.referral(visits_authorized=1)
    first, second = clinic.appointment(3), clinic.appointment(4)
    client = clinic.client()
    client.post(f"/authorizations/referrals/{referral.pk}/visits/", {"appointment": first.pk})
    refused = client.post(f"/authorizations/referrals/{referral.pk}/visits/",
                          {"appointment": second.pk}, follow=True)  # fmt: skip
    assert "Not counted: Referral R-123 has no visits left (1 of 1 used)." in text_of(refused)
    assert list(ReferralVisit.objects.values_list("appointment_id", flat=True)) == [first.pk]


def test_clinical_staff_read_but_may_not_write(clinic):
    referral = clinic.referral()
    nurse = clinic.client(make_user("nurse", roles=(Role.CLINICAL,)))
    assert nurse.get(f"/authorizations/referrals/{referral.pk}/").status_code == 200
    assert nurse.post(f"/authorizations/referrals/{referral.pk}/cancel/",
                      {"reason": "x"}).status_code == 403  # fmt: skip
    assert Referral.objects.get(pk=referral.pk).status == "active"
