"""The alert banner tag and its add / resolve actions (HTMX and plain posts)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from medoffice.audit.models import AuditEntry
from medoffice.patients import queries, services
from medoffice.patients.models import PatientAlert
from medoffice.patients.templatetags.patients_tags import age_text
from medoffice.patients.tests.records_support import (
    clinical_user,
    desk_user,
    make_record,
    signed_in,
)

pytestmark = pytest.mark.django_db

BANNER = Template("{% load patients_tags %}{% patient_banner patient %}")


def _render(patient, user) -> str:
    request = RequestFactory().get("/somewhere/")
    request.user = user
    return BANNER.render(Context({"patient": patient, "request": request}))


@pytest.mark.parametrize(
    ("born", "today", "expected"),
    [
        (dt.date(1984, 3, 14), dt.date(2026, 3, 13), "41 y"),
        (dt.date(1984, 3, 14), dt.date(2026, 3, 14), "42 y"),
        (dt.date(2025, 1, 20), dt.date(2026, 3, 19), "13 mo"),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 10), "9 d"),
    ],
)
def test_age_text(born, today, expected):
    assert age_text(born, today) == expected


def test_banner_shows_who_and_the_alerts_by_severity():
    # given
    patient = make_record(
        last_name="Nguyen",
        first_name="Thao",
        preferred_name="Tina",
        pronouns="she",
        birth_date=dt.date(1990, 7, 4),
        preferred_language="vi",
        interpreter_needed=True,
    )
    services.add_alert(
        patient,
        acting_user=None,
        kind="collections",
        severity="critical",
        message="Balance sent to collections",
    )
    services.add_alert(patient, acting_user=None, kind="other", severity="info", message="VIP")
    # when
    html = _render(queries.get_patient(patient.pk), desk_user())
    # then
    assert "Nguyen, Thao &quot;Tina&quot;" in html
    assert "07/04/1990" in html
    assert "(she/her)" in html
    assert patient.mrn in html
    assert "Female" in html
    assert "Vietnamese" in html
    critical = html.index("Balance sent to collections")
    interpreter = html.index("Vietnamese interpreter needed.")
    info = html.index("VIP")
    assert critical < interpreter < info
    assert html.count('class="banner-alert alert-critical"') == 1
    assert html.count('class="banner-alert alert-warning"') == 1
    assert html.count('class="banner-alert alert-info"') == 1
    assert html.count(">Resolve<") == 2  # the derived interpreter alert is not resolvable
    assert 'name="next" value="/somewhere/"' in html


def test_banner_runs_no_query_for_a_patient_from_get_patient(django_assert_num_queries):
    patient = make_record(interpreter_needed=True)
    services.add_alert(patient, acting_user=None, kind="other", message="Note")
    user = desk_user()
    user.has_perm("patients.change_patient")  # permissions load once per user
    loaded = queries.get_patient(patient.pk)
    with django_assert_num_queries(0):
        html = _render(loaded, user)
    assert "Note" in html


def test_viewers_see_alerts_but_no_actions():
    patient = make_record()
    services.add_alert(patient, acting_user=None, kind="behavior", message="Call ahead")
    html = _render(queries.get_patient(patient.pk), clinical_user())
    assert "Call ahead" in html
    assert "Resolve" not in html
    assert "Add alert" not in html


def test_photo_thumbnail_points_at_the_audited_view():
    patient = make_record()
    patient.photo.name = "patients/photos/abc.jpg"
    assert f'src="/patients/{patient.pk}/photo/"' in _render(patient, desk_user())


def test_add_alert_with_htmx_returns_the_refreshed_banner(client):
    # given
    patient = make_record()
    signed_in(client, desk_user())
    # when
    response = client.post(
        f"/patients/{patient.pk}/alerts/",
        {
            "kind": "accessibility",
            "severity": "warning",
            "message": "Uses a wheelchair",
            "next": f"/patients/{patient.pk}/",
        },
        HTTP_HX_REQUEST="true",
    )
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section class="patient-banner"')
    assert "Uses a wheelchair" in body
    assert "<html" not in body
    alert = PatientAlert.objects.get(patient=patient)
    assert (alert.kind, alert.severity, alert.created_by.username) == (
        "accessibility",
        "warning",
        "desk",
    )
    entry = AuditEntry.objects.get(action="create", target_type="patients.patientalert")
    assert entry.patient_id == patient.pk


def test_add_alert_errors_keep_the_typed_values(client):
    patient = make_record()
    signed_in(client, desk_user())
    response = client.post(
        f"/patients/{patient.pk}/alerts/",
        {"kind": "not-a-kind", "severity": "critical", "message": "Kept text"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "not one of the available choices" in body
    assert 'value="Kept text"' in body
    assert '<details class="banner-add" open>' in body
    assert not PatientAlert.objects.exists()


def test_add_alert_without_javascript_goes_back(client):
    patient = make_record()
    signed_in(client, desk_user())
    response = client.post(
        f"/patients/{patient.pk}/alerts/",
        {"kind": "other", "severity": "info", "message": "Prefers mornings", "next": "/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    unsafe = client.post(
        f"/patients/{patient.pk}/alerts/",
        {"kind": "other", "severity": "info", "message": "x", "next": "https://evil.example/"},
    )
    assert unsafe["Location"] == f"/patients/{patient.pk}/"


def test_resolve_alert(client):
    patient = make_record()
    alert = services.add_alert(patient, acting_user=None, kind="other", message="Old note")
    signed_in(client, desk_user())
    response = client.post(
        f"/patients/{patient.pk}/alerts/{alert.pk}/resolve/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Old note" not in response.content.decode()
    alert.refresh_from_db()
    assert alert.resolved_at is not None
    assert alert.resolved_by.username == "desk"


def test_an_alert_of_another_patient_cannot_be_resolved_through_this_one(client):
    patient, other = make_record(), make_record()
    alert = services.add_alert(other, acting_user=None, kind="other", message="Not yours")
    signed_in(client, desk_user())
    response = client.post(f"/patients/{patient.pk}/alerts/{alert.pk}/resolve/")
    assert response.status_code == 404
    alert.refresh_from_db()
    assert alert.resolved_at is None


def test_clinical_staff_cannot_add_or_resolve_alerts(client):
    patient = make_record()
    alert = services.add_alert(patient, acting_user=None, kind="other", message="Keep")
    signed_in(client, clinical_user())
    added = client.post(f"/patients/{patient.pk}/alerts/", {"kind": "other", "message": "x"})
    resolved = client.post(f"/patients/{patient.pk}/alerts/{alert.pk}/resolve/")
    assert (added.status_code, resolved.status_code) == (403, 403)
    assert PatientAlert.objects.filter(resolved_at__isnull=True).count() == 1
    assert client.get(f"/patients/{patient.pk}/alerts/").status_code == 403
