"""Insurance card front and back and photo ID, captured at check-in (upload or desk camera).

Like the patient photo, an upload is never kept as sent: Pillow decodes it, turns it upright and
writes a fresh JPEG (no EXIF, nothing hidden after the image). Unlike the photo it is stored in
the database encrypted at rest (Fernet, the field keys of ``core.crypto``): a card shows the
member ID and a licence shows the address. It is shown only through the audited image view.
"""

from __future__ import annotations

import base64
import io
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageOps

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.frontdesk.choices import CaptureSource, CardImageKind
from medoffice.frontdesk.models import CardImage, CheckIn

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_SIDE = 1600  # a card stays legible (member ID, group number, phone numbers)
MAX_PIXELS = 40_000_000
JPEG_QUALITY = 85
NOT_A_PICTURE = "That file is not a JPEG, PNG or WebP picture."


def _read(upload: Any) -> bytes:
    limit = int(settings.MEDOFFICE_PHOTO_MAX_BYTES)
    too_big = ValidationError(f"The picture is larger than {limit / (1024 * 1024):g} MB.")
    if getattr(upload, "size", None) is not None and upload.size > limit:
        raise too_big
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_big
    if not data:
        raise ValidationError("The file is empty.")
    return bytes(data)


def reencode(data: bytes) -> tuple[bytes, int, int]:
    """A clean upright JPEG of at most MAX_SIDE pixels a side, and its size."""
    try:
        with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError("The picture has too many pixels.")
            probe.verify()
        with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as image:
            image.load()
            upright = ImageOps.exif_transpose(image) or image
            upright.thumbnail((MAX_SIDE, MAX_SIDE))
            rgb = upright.convert("RGB")
            out = io.BytesIO()
            rgb.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
            return out.getvalue(), rgb.width, rgb.height
    except ValidationError:
        raise
    except (Image.DecompressionBombError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ValidationError(NOT_A_PICTURE) from exc


def store_image(
    check_in: CheckIn, kind: str, upload: Any, *, source: str, acting_user: Any
) -> CardImage:
    """Keep ``upload`` as the check-in's ``kind`` image (replacing an earlier capture)."""
    if kind not in CardImageKind.values:
        raise ValidationError("Choose the card front, the card back or the photo ID.")
    if source not in CaptureSource.values:
        source = CaptureSource.UPLOAD
    jpeg, width, height = reencode(_read(upload))
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    with transaction.atomic():
        image, _ = CardImage.objects.update_or_create(
            check_in=check_in,
            kind=kind,
            defaults={
                "patient_id": check_in.patient_id,
                "source": source,
                "jpeg": base64.b64encode(jpeg).decode(),
                "width": width,
                "height": height,
                "captured_at": timezone.now(),
                "captured_by": user,
            },
        )
        record(
            AuditAction.UPDATE,
            actor=acting_user,
            target=image,
            patient_id=check_in.patient_id,
            fields=[kind],
            detail={"source": source},
        )
    return image


def captured_kinds(check_in: CheckIn) -> dict[str, Any]:
    """{kind: captured_at} without loading the pictures."""
    rows = CardImage.objects.filter(check_in=check_in).values_list("kind", "captured_at")
    return dict(rows)


def image_bytes(check_in: CheckIn, kind: str, *, acting_user: Any) -> bytes | None:
    """The decrypted JPEG, audited as a read; None when not captured."""
    image = CardImage.objects.filter(check_in=check_in, kind=kind).first()
    if image is None:
        return None
    record(
        AuditAction.READ,
        actor=acting_user,
        target=image,
        patient_id=check_in.patient_id,
        detail={"what": kind},
    )
    return base64.b64decode(image.jpeg)
