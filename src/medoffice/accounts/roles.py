"""The permission set of each role (Django group named by the Role label)."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from medoffice.accounts.choices import Role

ACCOUNTS_ALL = (
    "accounts.administer_users",
    "accounts.manage_practice",
    "accounts.view_practice",
    "accounts.view_audit_report",
    "accounts.emergency_access",
    "accounts.review_emergency_access",
    "accounts.view_jobs",
    "accounts.manage_security",
    "accounts.use_api",
)
PRACTICE_MODEL_PERMS = tuple(
    f"practice.{verb}_{model}"
    for model in ("practice", "location", "provider")
    for verb in ("view", "add", "change")
)
PATIENT_VIEW = ("patients.view_patient",)
PATIENT_EDIT = ("patients.view_patient", "patients.add_patient", "patients.change_patient")
PATIENT_MANAGE = (*PATIENT_EDIT, "patients.merge_patient")
SCHEDULE_VIEW = ("scheduling.view_appointment",)
SCHEDULE_BOOK = (
    "scheduling.view_appointment",
    "scheduling.add_appointment",
    "scheduling.change_appointment",
)
SCHEDULE_MANAGE = (
    *SCHEDULE_BOOK,
    "scheduling.manage_schedule",
    "scheduling.manage_calendar_feeds",
)
DESK_USE = ("frontdesk.use_desk", "frontdesk.issue_excuse_note")
DESK_MANAGE = (*DESK_USE, "frontdesk.manage_desk_settings", "frontdesk.view_wait_report")
INTAKE_VIEW = ("intake.view_submission",)
INTAKE_DESK = ("intake.view_submission", "intake.add_formrequest", "intake.change_submission")
INTAKE_MANAGE = (*INTAKE_DESK, "intake.manage_forms")
INSURANCE_VIEW = (
    "insurance.view_coverage",
    "insurance.view_eligibilitycheck",
    "insurance.view_payer",
    "insurance.view_goodfaithestimate",
)
INSURANCE_DESK = (
    *INSURANCE_VIEW,
    "insurance.add_coverage",
    "insurance.change_coverage",
    "insurance.check_eligibility",
    "insurance.add_goodfaithestimate",
)
INSURANCE_MANAGE = (
    *INSURANCE_DESK,
    "insurance.add_payer",
    "insurance.change_payer",
    "insurance.add_clearinghouse",
    "insurance.change_clearinghouse",
    "insurance.view_clearinghouse",
    "insurance.change_allowedamount",
)
AUTHORIZATIONS_VIEW = ("authorizations.view_referral", "authorizations.view_priorauthorization")
AUTHORIZATIONS_DESK = (
    *AUTHORIZATIONS_VIEW,
    "authorizations.add_referral",
    "authorizations.change_referral",
    "authorizations.add_priorauthorization",
    "authorizations.change_priorauthorization",
)
BILLING_DESK = (
    "billing.view_ledgerentry",
    "billing.view_payment",
    "billing.add_payment",
    "billing.use_drawer",
    "billing.request_refund",
    "billing.view_paymentplan",
    "billing.manage_payment_plans",
)
BILLING_OFFICE = (
    *BILLING_DESK,
    "billing.adjust_account",
    "billing.view_statement",
    "billing.manage_statements",
    "billing.view_billing_reports",
)
BILLING_MANAGE = (
    *BILLING_OFFICE,
    "billing.approve_refund",
    "billing.close_day",
    "billing.reopen_day",
)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.FRONT_DESK: (
        "accounts.view_practice",
        "accounts.use_api",
        *PATIENT_EDIT,
        *SCHEDULE_BOOK,
        *DESK_USE,
        *INTAKE_DESK,
        *INSURANCE_DESK,
        *AUTHORIZATIONS_DESK,
        *BILLING_DESK,
    ),
    Role.BILLING: (
        "accounts.view_practice",
        "accounts.use_api",
        *PATIENT_EDIT,
        *SCHEDULE_VIEW,
        *INSURANCE_DESK,
        *AUTHORIZATIONS_DESK,
        *BILLING_OFFICE,
    ),
    Role.CLINICAL: (
        "accounts.view_practice",
        "accounts.use_api",
        "accounts.emergency_access",
        *PATIENT_VIEW,
        "scheduling.view_appointment",
        "scheduling.change_appointment",
        *INTAKE_VIEW,
        *INSURANCE_VIEW,
        *AUTHORIZATIONS_VIEW,
    ),
    Role.MANAGER: (
        "accounts.view_practice",
        "accounts.manage_practice",
        "accounts.view_audit_report",
        "accounts.review_emergency_access",
        "accounts.manage_security",
        "accounts.view_jobs",
        "accounts.use_api",
        *PRACTICE_MODEL_PERMS,
        *PATIENT_MANAGE,
        *SCHEDULE_MANAGE,
        *DESK_MANAGE,
        *INTAKE_MANAGE,
        *INSURANCE_MANAGE,
        *AUTHORIZATIONS_DESK,
        *BILLING_MANAGE,
    ),
    Role.ADMIN: (*ACCOUNTS_ALL, *PRACTICE_MODEL_PERMS),
}
STAFF_ROLES = frozenset({Role.ADMIN})  # members may use the Django admin


def _permissions(names: tuple[str, ...]) -> list[Permission]:
    found = []
    for full in names:
        app_label, codename = full.split(".", 1)
        perm = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if perm is not None:  # a context not installed yet: skip, do not crash
            found.append(perm)
    return found


def sync_roles() -> None:
    """Create the role groups and set exactly their permissions (idempotent)."""
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.label)
        group.permissions.set(_permissions(ROLE_PERMISSIONS.get(role, ())))
