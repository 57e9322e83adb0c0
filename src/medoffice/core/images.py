"""Pictures staff upload or take with the desk camera (insurance cards, IDs), made safe to keep.

An upload is never kept as sent: Pillow decodes it, turns it upright and writes a fresh JPEG of
at most ``MAX_SIDE`` pixels a side (no EXIF, nothing hidden after the image). The desk camera
may send a ``data:image/...;base64,`` URL instead of a file; ``picture_bytes`` accepts either.

The same rules as ``frontdesk.images`` (written there first, for check-in captures); new callers
use this module.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageOps

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_SIDE = 1600  # a card stays legible (member ID, group number, phone numbers)
MAX_PIXELS = 40_000_000
JPEG_QUALITY = 85
NOT_A_PICTURE = "That file is not a JPEG, PNG or WebP picture."
_DATA_URL = re.compile(r"data:image/(?:jpeg|png|webp);base64,(?P<data>[A-Za-z0-9+/=\s]*)", re.I)


def max_bytes() -> int:
    return int(settings.MEDOFFICE_PHOTO_MAX_BYTES)


def _too_big() -> ValidationError:
    return ValidationError(f"The picture is larger than {max_bytes() / (1024 * 1024):g} MB.")


def read_upload(upload: Any) -> bytes:
    """The bytes of an uploaded file, refused when empty or over the size limit."""
    limit = max_bytes()
    if getattr(upload, "size", None) is not None and upload.size > limit:
        raise _too_big()
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_big()
    if not data:
        raise ValidationError("The file is empty.")
    return bytes(data)


def read_data_url(text: str) -> bytes:
    """The picture in a ``data:image/jpeg;base64,...`` URL (the desk camera's snapshot)."""
    limit = max_bytes()
    if len(text) > limit * 4 // 3 + 100:
        raise _too_big()
    found = _DATA_URL.fullmatch(text.strip())
    if found is None:
        raise ValidationError(NOT_A_PICTURE)
    try:
        data = base64.b64decode(re.sub(r"\s", "", found["data"]), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError(NOT_A_PICTURE) from exc
    if not data:
        raise ValidationError("The picture is empty.")
    if len(data) > limit:
        raise _too_big()
    return data


def picture_bytes(*, upload: Any = None, data_url: str = "") -> bytes:
    """The bytes of an uploaded file or, failing that, of a data URL; refused when neither."""
    if upload is not None:
        return read_upload(upload)
    if data_url:
        return read_data_url(data_url)
    raise ValidationError("Choose a picture first.")


def reencode(data: bytes) -> tuple[bytes, int, int]:
    """A clean upright JPEG of at most MAX_SIDE pixels a side, and its width and height."""
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
