"""Querysets of referrals and authorizations with their usage counted in the same query."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from medoffice.authorizations.models import (
    AuthorizationAppointment,
    AuthorizationService,
    PriorAuthorization,
    Referral,
    ReferralVisit,
)
from medoffice.authorizations.models.referrals import COUNTABLE


def referrals() -> QuerySet[Referral]:
    """Referrals with ``used_visits`` (countable linked appointments), no N+1."""
    used = (
        ReferralVisit.objects.filter(referral=OuterRef("pk"), appointment__status__in=COUNTABLE)
        .order_by()
        .values("referral")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Referral.objects.select_related(
        "to_provider",
        "to_specialist",
        "referring_provider",
        "from_provider",
        "coverage__plan__payer",
    ).annotate(used_visits=Coalesce(Subquery(used, output_field=IntegerField()), Value(0)))


def authorizations() -> QuerySet[PriorAuthorization]:
    """Authorizations with ``approved_units`` and ``used_units``, no N+1."""
    approved = (
        AuthorizationService.objects.filter(authorization=OuterRef("pk"))
        .order_by()
        .values("authorization")
        .annotate(n=Sum("units_approved"))
        .values("n")
    )
    used = (
        AuthorizationAppointment.objects.filter(
            authorization=OuterRef("pk"), appointment__status__in=COUNTABLE
        )
        .order_by()
        .values("authorization")
        .annotate(n=Sum("units"))
        .values("n")
    )
    return PriorAuthorization.objects.select_related(
        "payer", "appointment_type", "requesting_provider", "servicing_provider"
    ).annotate(
        approved_units=Coalesce(Subquery(approved, output_field=IntegerField()), Value(0)),
        used_units=Coalesce(Subquery(used, output_field=IntegerField()), Value(0)),
    )
