"""Project-wide pytest set-up."""

from __future__ import annotations

import os

os.environ.setdefault("MEDOFFICE_ENV", "test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
