"""Sign-in events become audit entries (ONC 170.315(d)(2))."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from medoffice.audit.choices import AuditAction, AuditOutcome
from medoffice.audit.services import record


def on_logged_in(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    record(AuditAction.LOGIN, actor=user, target=user, request=request)


def on_logged_out(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    record(AuditAction.LOGOUT, actor=user, target=user, request=request)


def on_login_failed(
    sender: Any, credentials: Any = None, request: Any = None, **kwargs: Any
) -> None:
    username = str((credentials or {}).get("username", ""))[:150]
    record(
        AuditAction.LOGIN_FAILED,
        actor=None,
        detail={"username": username},
        outcome=AuditOutcome.FAILURE,
        request=request,
    )


def on_locked_out(
    sender: Any, request: Any = None, username: Any = None, ip_address: Any = None, **kwargs: Any
) -> None:
    record(
        AuditAction.LOCKED_OUT,
        actor=None,
        detail={"username": str(username or "")[:150]},
        outcome=AuditOutcome.DENIED,
        request=request,
    )


def connect() -> None:
    from axes.signals import user_locked_out

    user_logged_in.connect(on_logged_in, dispatch_uid="audit_login")
    user_logged_out.connect(on_logged_out, dispatch_uid="audit_logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit_login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="audit_locked_out")
