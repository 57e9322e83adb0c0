from medoffice.audit.testing import (  # noqa: F401 (fixtures)
    _audit_checkpoint_in_tmp,
    _audit_flush_allowed,
)
