"""X12 5010 for a medical office, with no Django: eligibility (270/271, 005010X279A1),
acknowledgments (999, 005010X231A1) and prior authorization (278, 005010X217).

Readers raise ``X12Error`` (plain words, with the segment named) on malformed input and never
return half a result; writers refuse values that contain a separator.
"""

from .ack999 import build_999, read_999
from .authorization import build_278_request, read_278_request
from .authorization_response import build_278_response, read_278_response
from .eligibility_request import build_270, build_270_batch, read_270
from .eligibility_response import read_271
from .eligibility_summary import desk_figures, summarize_271
from .eligibility_writer import build_271
from .errors import X12Error
from .models import (
    Acknowledgment,
    AuthorizationRequest,
    AuthorizationResponse,
    Benefit,
    EligibilityRequest,
    EligibilityResponse,
    EnvelopeIds,
    OtherPayer,
    Party,
    Person,
    Rejection,
    ServiceDecision,
    ServiceLine,
    TransactionAck,
)
from .segments import Separators

__all__ = [
    "Acknowledgment",
    "AuthorizationRequest",
    "AuthorizationResponse",
    "Benefit",
    "EligibilityRequest",
    "EligibilityResponse",
    "EnvelopeIds",
    "OtherPayer",
    "Party",
    "Person",
    "Rejection",
    "Separators",
    "ServiceDecision",
    "ServiceLine",
    "TransactionAck",
    "X12Error",
    "build_270",
    "build_270_batch",
    "build_271",
    "build_278_request",
    "build_278_response",
    "build_999",
    "desk_figures",
    "read_270",
    "read_271",
    "read_278_request",
    "read_278_response",
    "read_999",
    "summarize_271",
]
