"""Referrals (incoming and outgoing) and prior authorizations, by aggregate."""

from medoffice.authorizations.models.authorizations import (
    AuthorizationAppointment,
    AuthorizationDiagnosis,
    AuthorizationService,
    PriorAuthorization,
)
from medoffice.authorizations.models.referrals import Referral, ReferralVisit

__all__ = [
    "AuthorizationAppointment",
    "AuthorizationDiagnosis",
    "AuthorizationService",
    "PriorAuthorization",
    "Referral",
    "ReferralVisit",
]
