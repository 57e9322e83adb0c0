"""Insurance card front and back and photo ID, captured at check-in (upload or desk camera).

Like the patient photo, an upload is never kept as sent: Pillow decodes it, turns it upright and
writes a fresh JPEG (no EXIF, nothing hidden after the image). Unlike the photo it is stored in
the database encrypted at rest (Fernet, the field keys of ``core.crypto``): a card shows the
member ID and a licence shows the address. It is shown only through the audited image view.
The reading and re-encoding rules are ``core.images``, shared with the coverage card pictures.
"""

from __future__ import annotations

import base64
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.core import images as pictures
from medoffice.frontdesk.choices import CaptureSource, CardImageKind
from medoffice.frontdesk.models import CardImage, CheckIn


def store_image(
    check_in: CheckIn, kind: str, upload: Any, *, source: str, acting_user: Any
) -> CardImage:
    """Keep ``upload`` as the check-in's ``kind`` image (replacing an earlier capture)."""
    if kind not in CardImageKind.values:
        raise ValidationError("Choose the card front, the card back or the photo ID.")
    if source not in CaptureSource.values:
        source = CaptureSource.UPLOAD
    jpeg, width, height = pictures.reencode(pictures.read_upload(upload))
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
