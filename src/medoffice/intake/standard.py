"""The standard forms shipped ready: registration, the Notice of Privacy Practices
acknowledgment, consent to treat, the financial policy and the medical history.

``install_standard_forms`` is idempotent: it adds what is missing and leaves forms a manager has
already edited alone. The data migration calls it with the historical models; the demo calls it
with the real ones.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

Q = dict[str, Any]


def _q(key: str, label: str, kind: str, **extra: Any) -> Q:
    return {"key": key, "label": label, "kind": kind, **extra}


EMERGENCY_RELATIONSHIPS = [
    "Spouse", "Domestic partner", "Parent", "Child", "Sibling", "Grandparent", "Legal guardian",
    "Caregiver", "Friend", "Other",
]  # fmt: skip
SIGN = _q("signature", "Signature of patient or legal representative", "signature", required=True)
YES_NO = "yes_no"

REGISTRATION: list[Q] = [
    _q("first_name", "First name (as on your ID)", "short_text", required=True,
       maps_to="first_name"),
    _q("middle_name", "Middle name", "short_text", maps_to="middle_name"),
    _q("last_name", "Last name (as on your ID)", "short_text", required=True, maps_to="last_name"),
    _q("preferred_name", "Name you like to be called", "short_text", maps_to="preferred_name"),
    _q("birth_date", "Date of birth", "date", required=True, maps_to="birth_date"),
    _q("mobile_phone", "Mobile phone", "phone", maps_to="phone.mobile"),
    _q("home_phone", "Home phone", "phone", maps_to="phone.home"),
    _q("email", "E-mail", "email", maps_to="email"),
    _q("address_line1", "Home address: street", "short_text", required=True,
       maps_to="address.line1"),
    _q("address_line2", "Apartment, suite", "short_text", maps_to="address.line2"),
    _q("city", "City", "short_text", required=True, maps_to="address.city"),
    _q("state", "State (two letters)", "short_text", required=True, maps_to="address.state"),
    _q("zip_code", "ZIP code", "short_text", required=True, maps_to="address.zip_code"),
    _q("emergency_name", "Emergency contact: name", "short_text", maps_to="emergency.name"),
    _q("emergency_phone", "Emergency contact: phone", "phone", maps_to="emergency.phone"),
    _q("emergency_relationship", "Emergency contact: relationship to you", "single_choice",
       options=EMERGENCY_RELATIONSHIPS, maps_to="emergency.relationship"),
    SIGN,
]  # fmt: skip

NPP_TEXT = (
    "Our Notice of Privacy Practices describes how medical information about you may be used "
    "and disclosed and how you can get access to this information. You may ask the front desk "
    "for a printed copy at any time."
)
CONSENT_TEXT = (
    "I consent to examination, diagnostic tests and treatment by the providers of this practice "
    "as they judge necessary. I understand I may ask questions and refuse any treatment."
)
FINANCIAL_TEXT = (
    "Copays are due at check-in. We bill your insurance as a courtesy; you are responsible for "
    "any balance your plan does not pay, including deductibles and coinsurance. Please give 24 "
    "hours' notice to cancel an appointment."
)

NPP: list[Q] = [
    _q(
        "acknowledged",
        "I acknowledge that I received, or was offered, the Notice of Privacy Practices.",
        "acknowledgment",
        required=True,
    ),
    SIGN,
]
CONSENT: list[Q] = [
    _q("consent", "I consent to treatment as described above.", "acknowledgment", required=True),
    _q(
        "signer_is",
        "I am signing as",
        "single_choice",
        required=True,
        options=["The patient", "Parent or guardian", "Legal representative"],
    ),
    SIGN,
]
FINANCIAL: list[Q] = [
    _q(
        "agree",
        "I have read the financial policy and agree to it.",
        "acknowledgment",
        required=True,
    ),
    SIGN,
]
CONDITIONS = [
    "High blood pressure", "Diabetes", "Asthma", "Heart disease", "High cholesterol",
    "Thyroid disease", "Depression or anxiety", "Cancer",
]  # fmt: skip
FAMILY = ["Heart disease", "Diabetes", "Cancer", "Stroke", "High blood pressure"]
MEDICAL_HISTORY: list[Q] = [
    _q("conditions", "Do you have any of these conditions?", "multiple_choice",
       options=CONDITIONS, maps_to="history.conditions"),
    _q("other_conditions", "Other conditions", "long_text", maps_to="history.conditions"),
    _q("takes_medications", "Do you take any medications?", YES_NO, required=True),
    _q("medications", "Medications, with dose and how often", "long_text", required=True,
       show_if_key="takes_medications", show_if_value="yes", maps_to="history.medications"),
    _q("has_allergies", "Do you have allergies (medicines, food, latex)?", YES_NO, required=True),
    _q("allergies", "Allergies and the reaction", "long_text", required=True,
       show_if_key="has_allergies", show_if_value="yes", maps_to="history.allergies"),
    _q("had_surgery", "Have you had any surgeries?", YES_NO, required=True),
    _q("surgeries", "Surgeries, with the year", "long_text", required=True,
       show_if_key="had_surgery", show_if_value="yes", maps_to="history.surgeries"),
    _q("family_history", "Parents, brothers or sisters with", "multiple_choice",
       options=FAMILY, maps_to="history.family_history"),
    _q("tobacco", "Tobacco use", "single_choice", required=True,
       options=["Never", "Former", "Current"], maps_to="history.social_history"),
    _q("alcohol", "Alcohol", "single_choice", required=True,
       options=["None", "Occasionally", "Weekly", "Daily"], maps_to="history.social_history"),
    SIGN,
]  # fmt: skip

STANDARD_FORMS: list[dict[str, Any]] = [
    {
        "code": "registration",
        "name": "Patient registration",
        "description": "Name, date of birth, phone, e-mail, address, emergency contact",
        "for_new_patients": True,
        "position": 10,
        "intro": "Please check and complete your details.",
        "questions": REGISTRATION,
    },
    {
        "code": "npp-acknowledgment",
        "name": "Notice of Privacy Practices acknowledgment",
        "description": "HIPAA acknowledgment, signed yearly",
        "renewal": "acknowledgment",
        "renew_after_months": 12,
        "position": 20,
        "intro": NPP_TEXT,
        "questions": NPP,
    },
    {
        "code": "consent-to-treat",
        "name": "Consent to treat",
        "description": "Valid for 12 months",
        "for_new_patients": True,
        "renewal": "expires",
        "renew_after_months": 12,
        "position": 30,
        "intro": CONSENT_TEXT,
        "questions": CONSENT,
    },
    {
        "code": "financial-policy",
        "name": "Financial policy",
        "description": "Copays, balances and cancellations",
        "for_new_patients": True,
        "position": 40,
        "intro": FINANCIAL_TEXT,
        "questions": FINANCIAL,
    },
    {
        "code": "medical-history",
        "name": "Medical history",
        "description": "Conditions, medications, allergies, surgeries, family and social history",
        "for_new_patients": True,
        "position": 50,
        "intro": "Your answers help your provider prepare for your visit.",
        "questions": MEDICAL_HISTORY,
    },
]

QUESTION_DEFAULTS = {
    "required": False,
    "options": [],
    "show_if_key": "",
    "show_if_value": "",
    "maps_to": "",
    "help_text": "",
}


def install_standard_forms(apps: Any = None) -> int:
    """Create the standard forms that do not exist yet, each with a published version 1;
    returns how many were created."""
    if apps is None:
        from django.apps import apps as live

        apps = live
    template_model = apps.get_model("intake", "FormTemplate")
    version_model = apps.get_model("intake", "FormVersion")
    question_model = apps.get_model("intake", "Question")
    existing = set(template_model.objects.values_list("code", flat=True))
    created = 0
    for spec in STANDARD_FORMS:
        if spec["code"] in existing:
            continue
        template = template_model.objects.create(
            code=spec["code"],
            name=spec["name"],
            description=spec["description"],
            is_standard=True,
            for_new_patients=spec.get("for_new_patients", False),
            renewal=spec.get("renewal", "none"),
            renew_after_months=spec.get("renew_after_months"),
            position=spec["position"],
        )
        version = version_model.objects.create(
            template=template,
            number=1,
            status="published",
            intro=spec["intro"],
            published_at=timezone.now(),
        )
        question_model.objects.bulk_create(
            question_model(version=version, position=i, **{**QUESTION_DEFAULTS, **q})
            for i, q in enumerate(spec["questions"], start=1)
        )
        created += 1
    return created
