"""The patient photo: verified, re-encoded without EXIF, random file names, audited reads."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from medoffice.audit.models import AuditEntry
from medoffice.patients import photos
from medoffice.patients.models import Patient
from medoffice.patients.tests.records_support import (
    clinical_user,
    desk_user,
    jpeg_with_gps,
    make_record,
    picture,
    signed_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _upload(data: bytes, name: str = "me.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _stored(patient: Patient) -> Image.Image:
    patient = Patient.objects.get(pk=patient.pk)
    with patient.photo.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def test_photo_is_reencoded_small_without_exif_under_a_random_name(media):
    # given: a camera picture carrying its make and a GPS position
    patient = make_record(last_name="Quillfeather")
    sent = jpeg_with_gps()
    assert b"SyntheticCam" in sent
    assert Image.open(io.BytesIO(sent)).getexif().get_ifd(0x8825)
    # when
    photos.set_photo(patient, _upload(sent), acting_user=None)
    # then
    saved = Patient.objects.get(pk=patient.pk)
    assert saved.photo.name.startswith("patients/photos/")
    assert "quill" not in saved.photo.name.lower()
    assert "me.jpg" not in saved.photo.name
    image = _stored(saved)
    assert image.format == "JPEG"
    assert max(image.size) == 600
    assert image.size == (600, 450)
    assert not image.getexif()
    assert b"SyntheticCam" not in (media / saved.photo.name).read_bytes()
    entry = AuditEntry.objects.get(action="update", patient_id=patient.pk)
    assert entry.fields == ["photo"]


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_with_transparency_are_accepted(fmt):
    patient = make_record()
    photos.set_photo(patient, _upload(picture(fmt), name="x.img"), acting_user=None)
    image = _stored(patient)
    assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (40, 30))


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7 not a picture",
        picture("GIF"),
        picture("BMP"),
        picture("JPEG")[:200],  # truncated
        b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
    ],
)
def test_what_is_not_a_jpeg_png_or_webp_is_refused(data):
    patient = make_record()
    with pytest.raises(ValidationError) as caught:
        photos.set_photo(patient, _upload(data), acting_user=None)
    assert caught.value.messages == ["That file is not a JPEG, PNG or WebP picture."]
    assert Patient.objects.get(pk=patient.pk).photo.name == ""
    assert not AuditEntry.objects.filter(action="update", patient_id=patient.pk).exists()


def test_a_picture_over_the_limit_is_refused(settings):
    patient = make_record()
    data = picture("PNG", size=(300, 300))
    settings.MEDOFFICE_PHOTO_MAX_BYTES = len(data) - 1
    with pytest.raises(ValidationError) as caught:
        photos.set_photo(patient, _upload(data), acting_user=None)
    assert caught.value.messages[0].startswith("The picture is larger than")
    assert Patient.objects.get(pk=patient.pk).photo.name == ""


def test_the_default_limit_is_said_in_megabytes(settings):
    settings.MEDOFFICE_PHOTO_MAX_BYTES = 5 * 1024 * 1024
    big = _upload(b"\xff\xd8" + b"0" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError) as caught:
        photos.set_photo(make_record(), big, acting_user=None)
    assert caught.value.messages == ["The picture is larger than 5 MB."]


def test_replacing_deletes_the_old_file_and_removing_deletes_the_last(
    media, django_capture_on_commit_callbacks
):
    patient = make_record()
    with django_capture_on_commit_callbacks(execute=True):
        photos.set_photo(patient, _upload(picture()), acting_user=None)
    first = Patient.objects.get(pk=patient.pk).photo.name
    with django_capture_on_commit_callbacks(execute=True):
        photos.set_photo(patient, _upload(picture("PNG")), acting_user=None)
    second = Patient.objects.get(pk=patient.pk).photo.name
    assert first != second
    assert not (media / first).exists()
    assert (media / second).exists()
    with django_capture_on_commit_callbacks(execute=True):
        photos.remove_photo(patient, acting_user=None)
    assert Patient.objects.get(pk=patient.pk).photo.name == ""
    assert not (media / second).exists()
    assert AuditEntry.objects.filter(action="update", patient_id=patient.pk).count() == 3


def test_removing_when_there_is_no_photo_writes_nothing():
    patient = make_record()
    photos.remove_photo(patient, acting_user=None)
    assert not AuditEntry.objects.filter(action="update", patient_id=patient.pk).exists()


def test_photo_is_served_only_through_the_audited_view(client):
    # given
    patient = make_record()
    photos.set_photo(patient, _upload(picture()), acting_user=None)
    signed_in(client, clinical_user())
    # when
    response = client.get(f"/patients/{patient.pk}/photo/")
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    assert response.content[:2] == b"\xff\xd8"
    read = AuditEntry.objects.get(action="read", patient_id=patient.pk)
    assert read.detail == {"what": "photo"}


def test_no_photo_is_404(client):
    signed_in(client, desk_user())
    assert client.get(f"/patients/{make_record().pk}/photo/").status_code == 404


def test_upload_through_the_page(client):
    patient = make_record()
    signed_in(client, desk_user())
    response = client.post(
        f"/patients/{patient.pk}/photo/", {"photo": _upload(jpeg_with_gps((80, 60)))}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/patients/{patient.pk}/"
    assert Patient.objects.get(pk=patient.pk).photo.name
    assert "Photo saved." in client.get(response["Location"]).content.decode()


def test_upload_of_a_non_picture_shows_the_reason(client):
    patient = make_record()
    signed_in(client, desk_user())
    response = client.post(
        f"/patients/{patient.pk}/photo/", {"photo": _upload(b"hello", name="notes.txt")}
    )
    page = client.get(response["Location"]).content.decode()
    assert "That file is not a JPEG, PNG or WebP picture." in page
    assert Patient.objects.get(pk=patient.pk).photo.name == ""


def test_remove_through_the_page(client):
    patient = make_record()
    photos.set_photo(patient, _upload(picture()), acting_user=None)
    signed_in(client, desk_user())
    client.post(f"/patients/{patient.pk}/photo/", {"remove": "1"})
    assert Patient.objects.get(pk=patient.pk).photo.name == ""


def test_clinical_staff_cannot_upload_and_anonymous_cannot_look(client):
    patient = make_record()
    signed_in(client, clinical_user())
    response = client.post(f"/patients/{patient.pk}/photo/", {"photo": _upload(picture())})
    assert response.status_code == 403
    assert Patient.objects.get(pk=patient.pk).photo.name == ""
    client.logout()
    response = client.get(f"/patients/{patient.pk}/photo/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
