"""Why a payer rejected a request (AAA), what to do next, and prior authorization decisions."""

from __future__ import annotations

# AAA03: what the payer says went wrong, and what the desk should do about it.
REJECT_REASONS: dict[str, str] = {
    "04": (
        "Authorized quantity exceeded: the payer limits how many inquiries may be sent; try later."
    ),
    "15": (
        "Required information is missing from the request: complete the patient's and "
        "provider's details and check again."
    ),
    "33": (
        "The payer found input errors in the request: review the member ID, name and date "
        "of birth, then check again."
    ),
    "35": "The provider is out of network for this plan: tell the patient before the visit.",
    "41": "The payer restricts access to this information: call the payer.",
    "42": "The payer cannot answer right now: check again later.",
    "43": "The provider's NPI is invalid or missing: check the provider's NPI in practice set-up.",
    "44": (
        "The provider's name is invalid or missing: check the provider's name in practice set-up."
    ),
    "45": (
        "The provider's specialty is invalid or missing: check the provider's taxonomy in "
        "practice set-up."
    ),
    "46": "The provider's phone number is invalid or missing: check practice set-up.",
    "47": "The provider's state is invalid or missing: check the practice address.",
    "48": "The referring provider's ID is invalid or missing: check the referral.",
    "49": (
        "This provider is not the patient's primary care physician: check the PCP on the "
        "card, or get a referral."
    ),
    "50": (
        "The payer does not accept eligibility inquiries from this provider: call the "
        "payer or check enrollment."
    ),
    "51": (
        "The provider is not on file with the payer: check the provider's enrollment with "
        "this payer."
    ),
    "52": (
        "The date of service is outside the provider's enrollment with this plan: call the payer."
    ),
    "53": (
        "The benefit asked about does not fit this provider type: ask about another service type."
    ),
    "54": "The procedure code qualifier is not appropriate: check the service asked about.",
    "55": "The procedure code is not appropriate: check the service asked about.",
    "56": "The date given is not appropriate: check the date of service.",
    "57": "The date of service is invalid or missing: check the appointment date.",
    "58": "The date of birth is invalid or missing: check the date of birth against the card.",
    "60": "The date of birth is after the date of service: check both dates.",
    "61": "The payer has a date of death before the date of service: call the payer.",
    "62": "The date of service is outside the period the payer answers for: check the date.",
    "63": "The date of service is in the future for this payer: check again closer to the visit.",
    "64": "The patient's ID is invalid or missing: check the card.",
    "65": "The patient's name is invalid or missing: check the spelling against the card.",
    "66": "The patient's sex is invalid or missing: check registration.",
    "67": (
        "The patient was not found: check the name, date of birth and member ID against the card."
    ),
    "68": "The patient's ID matches more than one person at the payer: call the payer.",
    "69": "The service asked about does not fit the patient's age: check the service type.",
    "70": "The service asked about does not fit the patient's sex: check the service type.",
    "71": "The date of birth does not match the payer's records: check it against the card.",
    "72": "Member ID not found or invalid: check the card and the ID typed, then check again.",
    "73": "The subscriber's name does not match: check the spelling against the card.",
    "74": "The subscriber's sex is invalid or missing: check registration.",
    "75": "Subscriber not found: check the member ID, name and date of birth against the card.",
    "76": "The member ID matches more than one subscriber: call the payer.",
    "77": (
        "The subscriber was found but not this patient: check the dependent's name and "
        "date of birth."
    ),
    "78": "The subscriber is not in the group or plan given: check the group number on the card.",
    "79": "The payer does not recognize the sender of the inquiry: check the clearinghouse set-up.",
    "80": "No response came back from the payer: check again later.",
    "97": "The provider's address is invalid or missing: check the practice address.",
    "98": "Experimental service or procedure: call the payer.",
    "AA": "The authorization number was not found: check the number with the payer.",
    "AE": "The primary care physician's authorization is required: get the referral first.",
    "AF": "Diagnosis code(s) invalid or missing: check the diagnoses.",
    "AG": "Procedure code(s) invalid or missing: check the procedures.",
    "AO": "The payer needs more information about the patient's condition: send clinical notes.",
    "AP": "The payer needs more information about the procedure: send clinical notes.",
    "CI": "The certification information does not match the patient: check the patient and number.",
    "E8": "The payer needs a medical review: expect a call or send clinical notes.",
    "IA": "The authorization number's format is invalid: check the number.",
    "MA": "The authorization number is missing: add it and send again.",
    "T4": "The payer's name or ID is missing: check the payer set-up.",
    "T5": "The certification information is missing: add it and send again.",
}

FOLLOW_UPS: dict[str, str] = {
    "C": "Please correct and resubmit",
    "N": "Resubmission not allowed",
    "P": "Please resubmit original transaction",
    "R": "Resubmission allowed",
    "S": "Do not resubmit; inquiry initiated to a third party",
    "W": "Please wait 30 days and resubmit",
    "X": "Please wait 10 days and resubmit",
    "Y": "Do not resubmit; we will hand over or respond",
}

RETRY_REASONS = frozenset({"42", "80"})
RETRY_FOLLOW_UPS = frozenset({"R", "W", "X", "P"})

# HCR01: what the reviewer decided on a prior authorization.
REVIEW_ACTIONS: dict[str, str] = {
    "A1": "approved",
    "A2": "partial",
    "A3": "denied",
    "A4": "pending",
    "A6": "modified",
    "C": "cancelled",
    "CT": "contact_payer",
    "D": "pending",
    "NA": "not_required",
}
REVIEW_ACTION_CODES: dict[str, str] = {
    "approved": "A1",
    "partial": "A2",
    "denied": "A3",
    "pending": "A4",
    "modified": "A6",
    "cancelled": "C",
    "contact_payer": "CT",
    "not_required": "NA",
}
REVIEW_WORDS: dict[str, str] = {
    "approved": "Approved (certified in total)",
    "partial": "Partly approved (certified in part)",
    "denied": "Denied (not certified)",
    "pending": "Pending: the payer has not decided yet",
    "modified": "Approved with changes (modified)",
    "cancelled": "Cancelled",
    "contact_payer": "Call the payer about this request",
    "not_required": "No prior authorization is needed",
    "rejected": "The payer could not process the request",
}
