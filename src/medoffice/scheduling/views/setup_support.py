"""What the set-up pages share: the acting user, lookups that 404, and service errors on forms."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest

from medoffice.accounts.models import User

MANAGE = "scheduling.manage_schedule"
FEEDS = "scheduling.manage_calendar_feeds"

ModelT = TypeVar("ModelT", bound=models.Model)


def actor(request: HttpRequest) -> User:
    """The signed-in user (staff_view guarantees one)."""
    return cast(User, request.user)


def get_or_404(queryset: models.QuerySet[ModelT], **lookup: Any) -> ModelT:
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404("Not found.")
    return found


def show_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's refusal next to the field it names, or at the top of the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.error_dict.items():
        messages = [message for error in errors for message in error.messages]
        form.add_error(field if field in form.fields else None, messages)
