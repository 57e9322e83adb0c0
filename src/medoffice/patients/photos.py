"""The patient's photo: verified, re-encoded and stored under a random name; changes audited.

An upload is never stored as sent: Pillow decodes it (only JPEG, PNG and WebP), turns it upright,
shrinks it to ``MAX_SIDE`` and writes a fresh JPEG, which drops EXIF (GPS position, camera,
time) and anything hidden after the image data. The file name is random so the media folder
names nobody; the file is served only through the audited photo view, never from a public URL.
"""

from __future__ import annotations

import io
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.patients import choices as c
from medoffice.patients.models import Patient

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_SIDE = 600
MAX_PIXELS = 40_000_000  # a 40-megapixel phone photo; larger is a decompression bomb
JPEG_QUALITY = 85
NOT_A_PICTURE = "That file is not a JPEG, PNG or WebP picture."


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def _read(upload: Any) -> bytes:
    limit = int(settings.MEDOFFICE_PHOTO_MAX_BYTES)
    too_big = ValidationError(f"The picture is larger than {_megabytes(limit)}.", code="too_big")
    if getattr(upload, "size", None) is not None and upload.size > limit:
        raise too_big
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_big
    if not data:
        raise ValidationError("The file is empty.", code="empty")
    return bytes(data)


def reencode(data: bytes) -> bytes:
    """Decode ``data`` and return a clean JPEG of at most MAX_SIDE pixels a side."""
    try:
        with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError("The picture has too many pixels.", code="too_many_pixels")
            probe.verify()
        with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as image:
            image.load()
            upright = ImageOps.exif_transpose(image) or image
            upright.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            _flatten(upright).save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, OSError, SyntaxError, ValueError, EOFError) as exc:
        # Pillow reports truncated or forged files with any of these (UnidentifiedImageError
        # is an OSError); all mean the same to the desk.
        raise ValidationError(NOT_A_PICTURE, code="not_a_picture") from exc
    return out.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """JPEG has no transparency: put transparent pictures on white."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _locked(patient: Patient) -> Patient:
    locked = Patient.objects.select_for_update().get(pk=patient.pk)
    if locked.status == c.PatientStatus.MERGED:
        raise ValidationError("This record was merged into another; change the kept record.")
    return locked


def _delete_later(storage: Any, name: str) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _audit_photo(patient: Patient, acting_user: Any) -> None:
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        target=patient,
        patient_id=patient.pk,
        fields=["photo"],
    )


def set_photo(patient: Patient, upload: Any, *, acting_user: Any) -> Patient:
    """Store ``upload`` as the patient's photo (replacing any); ValidationError in plain words."""
    clean = reencode(_read(upload))
    with transaction.atomic():
        locked = _locked(patient)
        old_name = locked.photo.name or ""
        locked.photo.save(f"{secrets.token_hex(16)}.jpg", ContentFile(clean), save=False)
        new_name = locked.photo.name or ""
        try:
            locked.save(update_fields=["photo", "updated_at"])
            _audit_photo(locked, acting_user)
        except BaseException:
            locked.photo.storage.delete(new_name)
            raise
        _delete_later(locked.photo.storage, old_name)
    patient.photo = locked.photo
    return locked


def remove_photo(patient: Patient, *, acting_user: Any) -> Patient:
    """Remove the patient's photo (and its file once the change is committed)."""
    with transaction.atomic():
        locked = _locked(patient)
        old_name = locked.photo.name or ""
        if not old_name:
            return locked
        storage = locked.photo.storage
        locked.photo = ""
        locked.save(update_fields=["photo", "updated_at"])
        _audit_photo(locked, acting_user)
        _delete_later(storage, old_name)
    patient.photo = locked.photo
    return locked
