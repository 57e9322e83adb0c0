# tests/conftest.py registers medoffice.audit.testing, but it is not loaded when only this folder
# is run (pytest src/medoffice/audit), so import the fixtures here too. Wrapping twice is harmless.
from medoffice.audit.testing import (  # noqa: F401
    _audit_checkpoint_in_tmp,
    _audit_flush_allowed,
)
