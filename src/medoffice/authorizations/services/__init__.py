"""Every write of the authorizations context (views, API, jobs and other contexts call these).

Referrals: ``record_referral``, ``change_referral``, ``cancel_referral``, ``link_visit``,
``unlink_visit``, ``make_referral_letter``, ``make_referral_packet``. After a booking:
``count_booked_visit``. Prior authorizations: ``draft_authorization``, ``change_authorization``,
``submit_authorization`` (X12 278 or fax/portal/phone), ``record_decision``,
``apply_278_response``, ``cancel_authorization``, ``expire_authorizations``,
``make_request_form``, ``link_appointment``, ``unlink_appointment``.
"""

from medoffice.authorizations.services.authorizations import (
    ServiceInput,
    cancel_authorization,
    change_authorization,
    default_via,
    draft_authorization,
    expire_authorizations,
    link_appointment,
    record_decision,
    submit_authorization,
    unlink_appointment,
)
from medoffice.authorizations.services.booking import count_booked_visit
from medoffice.authorizations.services.documents import (
    audit_read,
    audit_shown,
    make_referral_letter,
    make_referral_packet,
    make_request_form,
)
from medoffice.authorizations.services.referrals import (
    cancel_referral,
    change_referral,
    link_visit,
    record_referral,
    unlink_visit,
)
from medoffice.authorizations.services.submission import apply_278_response

__all__ = [
    "ServiceInput",
    "apply_278_response",
    "audit_read",
    "audit_shown",
    "cancel_authorization",
    "cancel_referral",
    "change_authorization",
    "change_referral",
    "count_booked_visit",
    "default_via",
    "draft_authorization",
    "expire_authorizations",
    "link_appointment",
    "link_visit",
    "make_referral_letter",
    "make_referral_packet",
    "make_request_form",
    "record_decision",
    "record_referral",
    "submit_authorization",
    "unlink_appointment",
    "unlink_visit",
]
