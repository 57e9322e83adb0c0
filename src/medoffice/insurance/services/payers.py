"""Every write to the practice's insurance address book: payers, their plans, clearinghouses.

Each function takes ``acting_user=``, runs in one transaction and writes one audit entry naming
the fields written (never their values: a clearinghouse password must not reach the trail).
Field problems raise ``ValidationError`` keyed by field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.core import identifiers, phones
from medoffice.insurance.choices import PlanType
from medoffice.insurance.models import Clearinghouse, InsurancePlan, Payer
from medoffice.insurance.rules.member_ids import pattern_problem

M = TypeVar("M", bound=models.Model)

PAYER_FIELDS = (
    "name",
    "payer_id",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "zip_code",
    "phone",
    "fax",
    "clearinghouse",
    "member_id_pattern",
    "checks_eligibility",
    "accepts_278",
    "authorization_phone",
    "authorization_fax",
    "portal_url",
    "active",
)
PHONE_FIELDS = ("phone", "fax", "authorization_phone", "authorization_fax")
PLAN_FIELDS = ("name", "plan_type", "requires_referral", "requires_prior_authorization", "active")
CLEARINGHOUSE_FIELDS = (
    "name",
    "kind",
    "endpoint_url",
    "username",
    "password",
    "sender_id",
    "receiver_id",
    "batch_folder",
    "sftp_host",
    "sftp_port",
    "sftp_username",
    "sftp_password",
    "sftp_path",
    "timeout_seconds",
    "retries",
    "test_mode",
    "active",
)
SECRETS = ("password", "sftp_password")


def _key(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _unknown(fields: Iterable[str], allowed: tuple[str, ...], where: str) -> None:
    extra = set(fields) - set(allowed)
    if extra:
        raise TypeError(f"{where}() got unexpected fields: {sorted(extra)}")


def _strip(instance: models.Model, names: Iterable[str]) -> None:
    for name in names:
        value = getattr(instance, name)
        if isinstance(value, str):
            setattr(instance, name, value.strip())


def _full_clean(instance: models.Model, errors: dict[str, list[str]]) -> None:
    """The model's own checks (lengths, choices, URLs, unique names), merged with ours."""
    try:
        instance.full_clean(exclude=list(errors))
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _write(
    instance: M,
    *,
    acting_user: Any,
    created: bool,
    changed: list[str],
    check: Callable[[M], dict[str, list[str]]],
) -> M:
    """Validate, save under a savepoint and audit; nothing is written when a check fails."""
    errors = check(instance)
    _full_clean(instance, errors)
    try:
        with transaction.atomic():
            instance.save(update_fields=None if created else changed)
    except IntegrityError as exc:
        raise ValidationError(
            "Another record with these details was saved at the same moment."
        ) from exc
    record(
        AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=acting_user,
        target=instance,
        fields=changed,
    )
    return instance


def _changed(instance: models.Model, before: dict[str, Any], names: Iterable[str]) -> list[str]:
    return [n for n in names if _key(getattr(instance, n)) != _key(before.get(n))]


# ---- payers -------------------------------------------------------------------------------


def _check_payer(payer: Payer) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    _strip(payer, [n for n in PAYER_FIELDS if n != "member_id_pattern"])
    payer.payer_id = payer.payer_id.upper()
    payer.state = payer.state.upper()
    if not payer.name:
        errors["name"] = ["Enter the payer's name."]
    if payer.state and not identifiers.state_code_is_valid(payer.state):
        errors["state"] = ["Use the two-letter state code (e.g. IL)."]
    if payer.zip_code and not identifiers.zip_code_is_valid(payer.zip_code):
        errors["zip_code"] = ["Use five digits or ZIP+4 (12345-6789)."]
    for name in PHONE_FIELDS:
        text = getattr(payer, name)
        if text:
            try:
                setattr(payer, name, phones.to_e164(text))
            except phones.PhoneError as exc:
                errors[name] = [str(exc)]
    problem = pattern_problem(payer.member_id_pattern)
    if problem:
        errors["member_id_pattern"] = [problem]
    if payer.payer_id and (
        Payer.objects.filter(payer_id=payer.payer_id).exclude(pk=payer.pk).exists()
    ):
        errors["payer_id"] = ["Another payer already uses this payer ID."]
    return errors


def add_payer(*, acting_user: Any, name: str, **fields: Any) -> Payer:
    """A new payer (``fields``: any of ``PAYER_FIELDS``); phones are stored as +1 numbers."""
    _unknown(fields, PAYER_FIELDS, "add_payer")
    with transaction.atomic():
        payer = Payer(name=name, **fields)
        written = [n for n in PAYER_FIELDS if _key(getattr(payer, n)) not in ("", None)]
        return _write(
            payer, acting_user=acting_user, created=True, changed=written, check=_check_payer
        )


def change_payer(payer: Payer, *, acting_user: Any, **changes: Any) -> Payer:
    _unknown(changes, PAYER_FIELDS, "change_payer")
    with transaction.atomic():
        current = Payer.objects.select_for_update().get(pk=payer.pk)
        before = {n: getattr(current, n) for n in PAYER_FIELDS}
        for name, value in changes.items():
            setattr(current, name, value)
        errors = _check_payer(current)
        changed = _changed(current, before, PAYER_FIELDS)
        if not changed and not errors:
            return current
        return _write(
            current,
            acting_user=acting_user,
            created=False,
            changed=changed,
            check=lambda _p: errors,
        )


# ---- plans --------------------------------------------------------------------------------


def _check_plan(plan: InsurancePlan) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    _strip(plan, ["name"])
    if not plan.name:
        errors["name"] = ["Enter the plan's name."]
    if plan.plan_type not in PlanType.values:
        errors["plan_type"] = ["Choose the kind of plan."]
    if plan.name and (
        InsurancePlan.objects.filter(payer_id=plan.payer_id, name__iexact=plan.name)
        .exclude(pk=plan.pk)
        .exists()
    ):
        errors["name"] = ["This payer already has a plan of that name."]
    return errors


def add_plan(
    payer: Payer, *, acting_user: Any, name: str, plan_type: str, **fields: Any
) -> InsurancePlan:
    """A plan of ``payer`` (``fields``: requires_referral, requires_prior_authorization, active)."""
    _unknown(fields, PLAN_FIELDS, "add_plan")
    with transaction.atomic():
        plan = InsurancePlan(payer=payer, name=name, plan_type=plan_type, **fields)
        written = ["payer", *[n for n in PLAN_FIELDS if getattr(plan, n) not in ("", None)]]
        return _write(
            plan, acting_user=acting_user, created=True, changed=written, check=_check_plan
        )


def change_plan(plan: InsurancePlan, *, acting_user: Any, **changes: Any) -> InsurancePlan:
    _unknown(changes, PLAN_FIELDS, "change_plan")
    with transaction.atomic():
        current = InsurancePlan.objects.select_for_update().select_related("payer").get(pk=plan.pk)
        before = {n: getattr(current, n) for n in PLAN_FIELDS}
        for name, value in changes.items():
            setattr(current, name, value)
        errors = _check_plan(current)
        changed = _changed(current, before, PLAN_FIELDS)
        if not changed and not errors:
            return current
        return _write(
            current,
            acting_user=acting_user,
            created=False,
            changed=changed,
            check=lambda _p: errors,
        )


# ---- clearinghouses -----------------------------------------------------------------------


def _check_clearinghouse(house: Clearinghouse) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    _strip(house, [n for n in CLEARINGHOUSE_FIELDS if n not in SECRETS])
    if not house.name:
        errors["name"] = ["Enter the clearinghouse's name."]
    if (
        house.endpoint_url
        and not house.endpoint_url.startswith("https://")
        and not (house.endpoint_url.startswith(("http://127.0.0.1", "http://localhost")))
    ):
        errors["endpoint_url"] = ["Use an https:// address (PHI travels over it)."]
    if house.kind == "core_http" and not house.endpoint_url:
        errors["endpoint_url"] = ["A real-time clearinghouse needs its endpoint address."]
    if house.kind == "folder" and not house.batch_folder:
        errors["batch_folder"] = ["A batch-folder clearinghouse needs its folder."]
    if house.kind == "sftp" and not house.sftp_host:
        errors["sftp_host"] = ["An SFTP clearinghouse needs its host."]
    return errors


def add_clearinghouse(*, acting_user: Any, name: str, **fields: Any) -> Clearinghouse:
    _unknown(fields, CLEARINGHOUSE_FIELDS, "add_clearinghouse")
    with transaction.atomic():
        house = Clearinghouse(name=name, **{k: v for k, v in fields.items() if v is not None})
        written = [n for n in CLEARINGHOUSE_FIELDS if getattr(house, n) not in ("", None)]
        return _write(
            house,
            acting_user=acting_user,
            created=True,
            changed=written,
            check=_check_clearinghouse,
        )


def change_clearinghouse(
    clearinghouse: Clearinghouse, *, acting_user: Any, **changes: Any
) -> Clearinghouse:
    """Change the fields given; a blank (or None) password keeps the one stored."""
    _unknown(changes, CLEARINGHOUSE_FIELDS, "change_clearinghouse")
    for secret in SECRETS:
        if secret in changes and not changes[secret]:
            del changes[secret]
    with transaction.atomic():
        current = Clearinghouse.objects.select_for_update().get(pk=clearinghouse.pk)
        before = {n: getattr(current, n) for n in CLEARINGHOUSE_FIELDS}
        for name, value in changes.items():
            setattr(current, name, value)
        errors = _check_clearinghouse(current)
        changed = _changed(current, before, CLEARINGHOUSE_FIELDS)
        if not changed and not errors:
            return current
        return _write(
            current,
            acting_user=acting_user,
            created=False,
            changed=changed,
            check=lambda _c: errors,
        )
