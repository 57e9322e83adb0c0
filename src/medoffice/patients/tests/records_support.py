"""What the registration and patient-page tests share: logins and the posted form."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Any

from django import forms as django_forms
from django.test import Client
from PIL import Image

from medoffice.accounts.choices import Role
from medoffice.accounts.models import User
from medoffice.accounts.tests.factories import make_user
from medoffice.patients import services
from medoffice.patients.models import Patient

CHILD_PREFIXES = ("phones", "addresses", "emergency_contacts", "previous_names")
_numbers = itertools.count(1)


def make_record(*, acting_user: Any = None, **overrides: Any) -> Patient:
    """A registered patient (through the service) whose birth date stays in the past.

    The shared ``factories.make_patient`` moves its default birth date 37 days per patient and
    leaves the past after about 450 patients in one session; this one wraps around and does not
    advance that counter.
    """
    n = next(_numbers)
    values: dict[str, Any] = {
        "last_name": f"Record{n}",
        "first_name": "Robin",
        "birth_date": dt.date(1950, 1, 1) + dt.timedelta(days=(n * 37) % 18_000),
        "sex": "female",
        "phones": [{"kind": "mobile", "number": f"(555) 4{n % 100:02d}-{n % 10000:04d}"}],
        "acknowledged_duplicates": True,
    }
    values.update(overrides)
    return services.register_patient(acting_user=acting_user, **values)


def desk_user(username: str = "desk") -> User:
    return make_user(username, roles=(Role.FRONT_DESK,))


def clinical_user(username: str = "nurse") -> User:
    return make_user(username, roles=(Role.CLINICAL,))


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "20",
    }


def registration_data(**overrides: str) -> dict[str, str]:
    """A complete registration post as the page sends it (one phone, address and contact)."""
    data = {
        "last_name": "Quillfeather",
        "first_name": "Avery",
        "birth_date": "1984-03-14",
        "sex": "female",
        "preferred_language": "en",
        "preferred_contact_method": "phone",
        "appointment_reminders": "on",
        "mail_consent": "on",
        "guarantor_relationship": "self",
        "guarantor_kind": "patient",
        **management("phones", 2),
        "phones-0-kind": "mobile",
        "phones-0-number": "(555) 201-7788",
        "phones-0-sms_consent": "on",
        "phones-1-kind": "mobile",
        **management("addresses", 1),
        "addresses-0-use": "home",
        "addresses-0-line1": "12 Elm Street",
        "addresses-0-city": "Springfield",
        "addresses-0-state": "IL",
        "addresses-0-zip_code": "62701",
        **management("emergency_contacts", 1),
        "emergency_contacts-0-name": "Jordan Quillfeather",
        "emergency_contacts-0-relationship": "spouse",
        "emergency_contacts-0-phone": "555-201-7799",
        **management("previous_names", 1),
        "previous_names-0-kind": "previous",
    }
    data.update(overrides)
    return data


def picture(fmt: str = "JPEG", size: tuple[int, int] = (40, 30), **save: Any) -> bytes:
    """A small synthetic picture in ``fmt`` (RGBA for PNG/WebP to exercise transparency)."""
    mode = "RGB" if fmt == "JPEG" else "RGBA"
    image = Image.new(mode, size, (200, 80, 40) + ((128,) if mode == "RGBA" else ()))
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def jpeg_with_gps(size: tuple[int, int] = (1600, 1200)) -> bytes:
    """A JPEG carrying EXIF with a camera make and a GPS position (synthetic)."""
    image = Image.new("RGB", size, (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SyntheticCam"  # Make
    exif[0x0112] = 1  # Orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (40.0, 42.0, 51.0)
    gps[3] = "W"
    gps[4] = (74.0, 0.0, 21.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def page_data(page: Any) -> dict[str, Any]:
    """What the browser would post back unchanged from a ``PatientForms`` page."""
    data: dict[str, Any] = {}
    forms_on_page = [page.patient, page.party]
    for formset in page.formsets.values():
        forms_on_page += [formset.management_form, *formset.forms]
    for form in forms_on_page:
        for bound in form:
            _put(data, bound)
    return data


def _put(data: dict[str, Any], bound: Any) -> None:
    value = bound.value()
    if isinstance(bound.field.widget, django_forms.CheckboxInput):
        if value:
            data[bound.html_name] = "on"
        return
    if isinstance(value, list | tuple):
        data[bound.html_name] = [str(v) for v in value]
        return
    if isinstance(value, dt.date):
        value = value.isoformat()
    data[bound.html_name] = "" if value is None else str(getattr(value, "pk", value))
