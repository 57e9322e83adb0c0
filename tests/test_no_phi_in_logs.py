"""Plant a synthetic patient identity in requests; prove it never reaches a log or error page.

The identity is fake. Every log record is captured twice: through a handler built
like the project's console handler (``plain`` formatter + ``PhiScrubFilter``) attached to the root
and to every non-propagating logger, and through pytest's caplog at DEBUG.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from medoffice.core.logging import PhiScrubFilter, scrub

NAME = "Zebulon Quixotefake"
FIRST, LAST = "Zebulon", "Quixotefake"
DOB_FORMS = ["1957-03-14", "03/14/1957", "3/14/1957", "03/14/57", "19570314", "March 14, 1957"]
PHONE_FORMS = ["(555) 201-7788", "555-201-7788", "555.201.7788", "5552017788"]
SSN_FORMS = ["078-05-1120", "078051120"]
EMAIL = "zq@example.test"

PHI_FORM = {
    "username": NAME,
    "password": "078-05-1120",
    "first_name": FIRST,
    "last_name": LAST,
    "dob": "1957-03-14",
    "phone": "(555) 201-7788",
    "ssn": "078-05-1120",
    "email": EMAIL,
}

API_URLS = [
    "/api/",
    "/api/me",
    "/api/practice/locations",
    "/api/practice/providers",
    "/api/practice/providers/1",
    "/api/no-such-endpoint",
]

logger = logging.getLogger("medoffice.tests.phi")


def forbidden_values(*, names: bool = True) -> list[str]:
    values = [*DOB_FORMS, *PHONE_FORMS, SSN_FORMS[0], EMAIL, "201-7788", "2017788"]
    if names:
        values += [FIRST, LAST]
    return values


def leaks(text: str, *, names: bool = True) -> list[str]:
    lowered = text.lower()
    return [value for value in forbidden_values(names=names) if value.lower() in lowered]


# A test-only URLconf: a view that logs PHI (what code must never do) and then fails.
def _careless_view(request: HttpRequest) -> HttpResponse:
    logger.info(
        "looking up %s born %s phone %s ssn %s email %s",
        request.GET.get("name"),
        request.GET.get("dob"),
        request.GET.get("phone"),
        request.GET.get("ssn"),
        request.GET.get("email"),
    )
    raise RuntimeError(
        f"no chart for dob {request.GET.get('dob')} ssn {request.GET.get('ssn')} "
        f"phone {request.GET.get('phone')} email {request.GET.get('email')}"
    )


urlpatterns = [path("boom/", _careless_view, name="boom")]


@pytest.fixture
def project_log() -> Iterator[io.StringIO]:
    """Formatted output of a handler configured like the project's console handler."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"]))
    handler.addFilter(PhiScrubFilter())
    handler.setLevel(logging.DEBUG)
    names = ["", *[n for n, c in settings.LOGGING["loggers"].items() if not c.get("propagate", 1)]]
    names += ["django.server", "axes", "django.security"]
    targets = [logging.getLogger(n) for n in names]
    for target in targets:
        target.addHandler(handler)
    root = logging.getLogger()
    old_level = root.level
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.setLevel(old_level)
        for target in targets:
            target.removeHandler(handler)


def _client() -> Client:
    return Client(raise_request_exception=False)


def test_scrub_masks_each_structured_identifier():
    text = scrub(
        "dob 1957-03-14 or 03/14/1957 phone (555) 201-7788 ssn 078-05-1120 mail zq@example.test"
    )
    assert leaks(text, names=False) == []


@pytest.mark.django_db
def test_sign_in_posts_and_404s_do_not_log_the_patient(project_log, caplog):
    caplog.set_level(logging.DEBUG)
    client = _client()
    query = {**PHI_FORM}
    client.get("/accounts/login/", query)
    client.post("/accounts/login/", PHI_FORM)
    client.post("/accounts/login/?next=/", PHI_FORM)
    client.get("/no-such-page/", query)
    client.get(f"/no-such-page/{LAST}/")
    client.post("/no-such-page/", PHI_FORM)

    assert leaks(project_log.getvalue()) == [], project_log.getvalue()
    assert leaks(caplog.text) == [], caplog.text


@pytest.mark.django_db
def test_api_with_bad_json_does_not_log_the_patient(project_log, caplog):
    caplog.set_level(logging.DEBUG)
    client = _client()
    body = '{"name": "' + NAME + '", "dob": "1957-03-14", "ssn": "078-05-1120", broken'
    for url in API_URLS:
        client.post(url, body, content_type="application/json")
        client.post(url, json.dumps(PHI_FORM) + "}", content_type="application/json")
        client.get(url, PHI_FORM)
        client.get(url, HTTP_AUTHORIZATION="Bearer 078-05-1120-zq@example.test")

    assert leaks(project_log.getvalue()) == [], project_log.getvalue()
    assert leaks(caplog.text) == [], caplog.text


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_view_that_logs_identifiers_and_crashes_is_masked(project_log, caplog, settings):
    settings.DEBUG = False
    caplog.set_level(logging.DEBUG)
    query = {
        "name": NAME,
        "dob": "1957-03-14",
        "phone": "(555) 201-7788",
        "ssn": "078-05-1120",
        "email": EMAIL,
    }

    response = _client().get("/boom/", query)

    assert response.status_code == 500
    body = response.content.decode()
    assert leaks(body) == [], body
    output = project_log.getvalue()
    assert "looking up" in output
    assert "Internal Server Error: /boom/" in output
    assert "no chart for dob [date]" in output
    # Structured identifiers are masked everywhere, exception text included.
    assert leaks(output, names=False) == [], output
    assert leaks(caplog.text, names=False) == [], caplog.text
    # Names cannot be recognised by a pattern: this view leaks one, which is why views must
    # never log PHI. The assertion documents the limit rather than hiding it.
    assert NAME in output


@pytest.mark.django_db
def test_registering_searching_and_reading_a_patient_logs_no_phi(project_log, caplog):
    from medoffice.accounts.choices import Role
    from medoffice.accounts.tests.factories import make_user

    caplog.set_level(logging.DEBUG)
    client = _client()
    client.force_login(make_user("desk.logs", roles=(Role.FRONT_DESK,)))
    form = {
        "last_name": LAST,
        "first_name": FIRST,
        "birth_date": "1957-03-14",
        "sex": "male",
        "email": EMAIL,
        "ssn": "123-45-6789",
        "preferred_language": "en",
        "guarantor_relationship": "self",
        "preferred_contact_method": "phone",
        "phones-TOTAL_FORMS": "1",
        "phones-INITIAL_FORMS": "0",
        "phones-0-kind": "mobile",
        "phones-0-number": "(555) 201-7788",
        "save": "1",
    }
    for name in ("addresses", "emergency_contacts", "previous_names"):
        form |= {f"{name}-TOTAL_FORMS": "0", f"{name}-INITIAL_FORMS": "0"}
    response = client.post("/patients/register/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    patient_url = response["Location"]
    assert FIRST not in patient_url
    assert LAST not in patient_url
    client.get(patient_url)
    client.post("/patients/search/quick/", {"q": f"{LAST}, {FIRST}"})
    client.post("/patients/", {"q": "(555) 201-7788"})
    client.post("/api/patients/search", {"q": "1957-03-14"}, content_type="application/json")
    client.post("/patients/register/", {**form, "phones-0-number": "201-7788", "ssn": "12"})

    assert leaks(project_log.getvalue()) == [], project_log.getvalue()
    assert leaks(caplog.text) == [], caplog.text
