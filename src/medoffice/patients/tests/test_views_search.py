"""The search page, the header box's dropdown, and what they audit."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any

import pytest
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils import timezone

from medoffice.accounts.tests.factories import staff_user
from medoffice.audit.models import AuditEntry
from medoffice.config import urls as site_urls
from medoffice.patients import services
from medoffice.patients.models import MrnCounter, Patient
from medoffice.patients.rules.query import TOO_SHORT
from medoffice.patients.tests import factories
from medoffice.patients.views import search as search_views

pytestmark = pytest.mark.django_db

_born = itertools.count()


def make_patient(**values: Any) -> Patient:
    """The shared factory, with birth dates that stay in the past however many tests ran."""
    values.setdefault("birth_date", dt.date(1950, 1, 1) + dt.timedelta(days=next(_born) % 20000))
    return factories.make_patient(**values)


PAGE = "/patients/"
QUICK = "/patients/search/quick/"


# The record and registration pages belong to other modules; stand-ins keep these tests whole.
def _record_page(request: HttpRequest, patient_id: int) -> HttpResponse:
    return HttpResponse(f"record {patient_id}")


def _register_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("register")


_patient_routes = [
    *search_views.urlpatterns,
    path("<int:patient_id>/", _record_page, name="detail"),
    path("new/", _register_page, name="register"),
]
urlpatterns = [
    *(p for p in site_urls.urlpatterns if str(p.pattern) != "patients/"),
    path("patients/", include((_patient_routes, "patients"))),
]


@pytest.fixture(autouse=True)
def _with_record_pages(settings):
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def desk(client):
    user = staff_user("patients.view_patient", "patients.add_patient")
    client.force_login(user)
    return user


@pytest.fixture
def jonah():
    patient = make_patient(
        last_name="Smith",
        first_name="Jonah",
        preferred_name="John",
        birth_date=dt.date(1982, 3, 14),
        phones=[{"kind": "mobile", "number": "(555) 201-7788"}],
    )
    services.add_alert(patient, acting_user=None, kind="collections", message="Balance due")
    return patient


def searches() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="search").order_by("id"))


def test_page_shows_the_form_and_the_register_link(client, desk):
    # when
    response = client.get(PAGE)
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="q"' in page
    assert 'href="/patients/new/">Register a new patient</a>' in page
    assert searches() == []


def test_no_register_link_without_the_add_permission(client):
    client.force_login(staff_user("patients.view_patient"))
    page = client.get(PAGE).content.decode()
    assert "Register a new patient" not in page


def test_page_lists_the_hits_with_what_the_desk_needs(client, desk, jonah):
    # given
    anna = make_patient(last_name="Smith", first_name="Anna", birth_date=dt.date(1975, 6, 1))
    # when
    response = client.post(PAGE, {"q": "smith"})
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 patients found" in page
    assert f'<a href="/patients/{jonah.pk}/">Smith, Jonah &quot;John&quot;</a>' in page
    assert f'<a href="/patients/{anna.pk}/">Smith, Anna</a>' in page
    assert page.index("Smith, Anna") < page.index("Smith, Jonah")
    age = jonah.age_on(timezone.localdate())
    assert f'03/14/1982 <span class="muted">(age {age})</span>' in page
    assert f"<code>{jonah.mrn}</code>" in page
    assert "(555) 201-7788" in page
    assert page.count('<span class="badge badge-ok">Active</span>') == 2
    assert page.count('<span class="badge badge-warn search-flag">Alert</span>') == 1
    assert 'value="smith"' in page


def test_a_search_is_audited_with_the_ids_shown_never_the_text(client, desk, jonah):
    # when
    client.post(PAGE, {"q": "smith jo"})
    # then
    (entry,) = searches()
    assert entry.actor_id == desk.pk
    assert entry.detail == {
        "kinds": ["name"],
        "shown": [jonah.pk],
        "count": 1,
        "source": "search-page",
    }
    assert "smith" not in json.dumps([entry.detail, entry.fields, entry.target_id]).lower()


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_query_is_not_audited(client, desk, jonah, text):
    response = client.post(PAGE, {"q": text})
    assert response.status_code == 200
    assert "patients found" not in response.content.decode()
    assert searches() == []


def test_a_too_short_query_says_what_to_type(client, desk, jonah):
    response = client.post(PAGE, {"q": "j"})
    assert TOO_SHORT in response.content.decode()
    assert searches() == []


def test_quick_search_returns_the_dropdown(client, desk, jonah):
    # when
    response = client.post(QUICK, {"q": "smith jo"}, HTTP_HX_REQUEST="true")
    # then
    partial = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in partial
    assert 'role="listbox"' in partial
    assert partial.count('role="option"') == 1
    assert f'href="/patients/{jonah.pk}/"' in partial
    assert 'id="global-search-option-0"' in partial
    (entry,) = searches()
    assert (entry.detail["shown"], entry.detail["source"]) == ([jonah.pk], "search-box")


def test_quick_search_shows_at_most_eight(client, desk):
    for first in ("Ada", "Bea", "Cal", "Dot", "Eve", "Fay", "Gus", "Hal", "Ian", "Jay"):
        make_patient(last_name="Octet", first_name=first)
    partial = client.post(QUICK, {"q": "octet"}).content.decode()
    assert partial.count('role="option"') == 8
    assert len(searches()[0].detail["shown"]) == 8


def test_quick_search_with_nothing_typed_closes_the_dropdown(client, desk, jonah):
    response = client.post(QUICK, {"q": ""})
    assert (response.status_code, response.content) == (200, b"")
    assert searches() == []


def test_quick_search_with_no_match_says_so(client, desk, jonah):
    partial = client.post(QUICK, {"q": "zzyzx"}).content.decode()
    assert "No patient matches." in partial
    assert 'role="option"' not in partial
    assert searches() == []


def test_quick_search_refuses_get(client, desk, jonah):
    response = client.get(QUICK)
    assert response.status_code == 405
    assert searches() == []


def test_enter_in_the_box_opens_the_only_match(client, desk, jonah):
    # when
    response = client.post(PAGE, {"q": "smith jo", "go": "1"})
    # then
    assert (response.status_code, response["Location"]) == (302, f"/patients/{jonah.pk}/")
    (entry,) = searches()
    assert (entry.detail["shown"], entry.detail["source"]) == ([jonah.pk], "search-box")


def test_enter_opens_an_exact_mrn_match_among_others(client, desk):
    # given an MRN whose digits are also 03/14/1983, and a patient born that day
    MrnCounter.objects.update_or_create(pk=1, defaults={"next_number": 314198})
    by_mrn = make_patient(last_name="Zimmer", first_name="Zed")
    make_patient(last_name="Abbott", first_name="Amy", birth_date=dt.date(1983, 3, 14))
    # when
    response = client.post(PAGE, {"q": by_mrn.mrn, "go": "1"})
    # then
    assert (response.status_code, response["Location"]) == (302, f"/patients/{by_mrn.pk}/")


def test_enter_with_several_matches_lists_them(client, desk, jonah):
    make_patient(last_name="Smith", first_name="Anna")
    response = client.post(PAGE, {"q": "smith", "go": "1"})
    assert response.status_code == 200
    assert "2 patients found" in response.content.decode()
    assert searches()[0].detail["source"] == "search-box"


def test_html_in_the_query_and_in_names_is_escaped(client, desk):
    # given
    make_patient(last_name="<b>Bold</b>", first_name="Robin")
    # when
    page = client.post(PAGE, {"q": '<script>alert("x")</script> bold'}).content.decode()
    partial = client.post(QUICK, {"q": "bold"}).content.decode()
    # then
    assert "<script>alert" not in page
    assert 'value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; bold"' in page
    assert "<b>Bold" not in page + partial
    assert "&lt;b&gt;Bold&lt;/b&gt;, Robin" in partial


@pytest.mark.parametrize(
    "text",
    ["'; DROP TABLE patients_patient; --", "%", "_", "\\", "02/30/1982", "😀", "a" * 400],
)
def test_malformed_queries_answer_with_a_page_not_an_error(client, desk, jonah, text):
    response = client.post(PAGE, {"q": text})
    assert response.status_code == 200
    assert "No patients found" in response.content.decode()


def test_without_the_permission_nothing_is_searched_or_audited(client, jonah):
    # given
    client.force_login(staff_user())
    # when
    responses = [
        client.get(PAGE),
        client.post(PAGE, {"q": "smith"}),
        client.post(PAGE, {"q": "smith", "go": "1"}),
        client.post(QUICK, {"q": "smith"}),
    ]
    # then
    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert all(b"Smith" not in r.content for r in responses)
    assert searches() == []


def test_the_header_box_is_live_for_users_who_may_search(client, desk):
    page = client.get("/").content.decode()
    assert "data-patient-search" in page
    assert 'action="/patients/"' in page
    assert 'hx-post="/patients/search/quick/"' in page
    assert 'hx-trigger="input changed delay:150ms, search"' in page
    assert 'role="combobox"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_no_header_box_for_users_who_may_not_search(client):
    client.force_login(staff_user())
    page = client.get("/").content.decode()
    assert "data-patient-search" not in page
    assert 'id="global-search"' not in page


def test_the_page_shows_at_most_fifty(client, desk):
    for i in range(52):
        make_patient(last_name="Pagelimit", first_name=f"P{i:02d}x")
    page = client.post(PAGE, {"q": "pagelimit"}).content.decode()
    assert "50 patients found" in page
    assert page.count("Pagelimit, P") == 50
    assert len(searches()[0].detail["shown"]) == 50


def _statements(client, text: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.post(PAGE, {"q": text}).status_code == 200
    return len(captured)


def test_the_results_page_costs_the_same_for_two_or_twenty_hits(client, desk):
    # given
    for i in range(2):
        make_patient(last_name="Fewrows", first_name=f"F{i:02d}x")
    for i in range(20):
        patient = make_patient(
            last_name="Manyrows",
            first_name=f"M{i:02d}x",
            phones=[
                {"kind": "mobile", "number": f"(555) 610-00{i:02d}"},
                {"kind": "home", "number": f"(555) 620-00{i:02d}"},
            ],
        )
        services.add_alert(patient, acting_user=None, kind="other", message="Check ID")
    _statements(client, "warmup")
    # when / then
    assert _statements(client, "fewrows") == _statements(client, "manyrows")
