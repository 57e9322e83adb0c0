"""What the payer simulator knows: payers, their plans' benefits, members, faults, 278 rules.

Loaded from JSON (``load_config``); ``default_config_path()`` is the shipped demo_plans.json.
Money is written as strings ("25.00") and read as ``Decimal``; dates as "YYYY-MM-DD".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

MEMBER_STATUSES = ("active", "inactive", "not_found")
AUTH_OUTCOMES = ("approve", "pend", "deny", "not_required")
SPECIALIST = "specialist"  # the copay key for a specialist visit (written as 98, "SPECIALIST")

# The remaining figures a member entry may pin (others are derived from the member ID).
OVERRIDE_KEYS = tuple(
    f"{kind}_remaining_{level}_{network}"
    for kind in ("deductible", "oop")
    for level in ("individual", "family")
    for network in ("in_network", "out_of_network")
)


class ConfigError(ValueError):
    """The simulator's configuration is wrong; the message names the entry."""


@dataclass(frozen=True)
class Fault:
    """Misbehaviour on purpose, for tests and demos of the desk's error states."""

    delay_ms: int = 0  # wait before answering
    http_status: int = 0  # answer with this HTTP status (e.g. 500) instead
    aaa_42: bool = False  # answer AAA*42 "unable to respond at current time"
    garbage_payload: bool = False  # a valid envelope around text that is not X12
    close_connection: bool = False  # hang up without answering

    @property
    def any(self) -> bool:
        return self != Fault()


@dataclass(frozen=True)
class Split:
    """A figure in and out of network (None where the plan does not say)."""

    in_network: Decimal | None = None
    out_of_network: Decimal | None = None


@dataclass(frozen=True)
class Provider:
    last_name: str
    first_name: str
    npi: str


@dataclass(frozen=True)
class Plan:
    plan_id: str
    name: str
    insurance_type: str  # EB04: HM, PR, MB, MC, HN, PS, EP, C1 ...
    group_number: str
    plan_begin: dt.date
    pcp: Provider | None = None  # named for HMOs
    copays: Mapping[str, Decimal] = field(default_factory=dict)  # service type (or SPECIALIST)
    coinsurance: Split = Split()
    deductible_individual: Split = Split()
    deductible_family: Split = Split()
    oop_individual: Split = Split()
    oop_family: Split = Split()
    non_covered: tuple[str, ...] = ()
    authorization_required: tuple[str, ...] = ()  # service types answered with EB11 = Y


@dataclass(frozen=True)
class OtherCoverage:
    """Another payer the member has (e.g. a Medicaid managed-care plan), named in a 2120 loop."""

    name: str
    payer_id: str = ""
    member_id: str = ""
    insurance_type: str = "MC"
    medicaid_managed_care: bool = False
    primary: bool | None = None


@dataclass(frozen=True)
class Member:
    payer_id: str
    member_id: str
    status: str = "active"
    plan_id: str = ""  # "" = the payer's first plan
    last_name: str = ""  # when given, the 270's name and birth date must match
    first_name: str = ""
    birth_date: dt.date | None = None
    coverage_end: dt.date | None = None
    overrides: Mapping[str, Decimal] = field(default_factory=dict)
    other_payer: OtherCoverage | None = None
    fault: Fault | None = None


@dataclass(frozen=True)
class AuthorizationRules:
    """How the payer decides 278s, by CPT/HCPCS code; unlisted codes get ``default``."""

    approve: tuple[str, ...] = ()
    pend: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    not_required: tuple[str, ...] = ()
    default: str = "approve"
    valid_days: int = 90
    certification_prefix: str = "AUTH"

    def outcome(self, code: str) -> str:
        for outcome, codes in (
            ("deny", self.deny),
            ("pend", self.pend),
            ("approve", self.approve),
            ("not_required", self.not_required),
        ):
            if code.upper() in codes:
                return outcome
        return self.default


@dataclass(frozen=True)
class Payer:
    payer_id: str
    name: str
    plans: tuple[Plan, ...]
    fault: Fault | None = None
    prior_auth: AuthorizationRules = AuthorizationRules()

    def plan(self, plan_id: str) -> Plan:
        for plan in self.plans:
            if plan.plan_id == plan_id or not plan_id:
                return plan
        raise ConfigError(f"payer {self.payer_id} has no plan {plan_id!r}")


@dataclass(frozen=True)
class SimulatorConfig:
    payers: tuple[Payer, ...]
    members: tuple[Member, ...] = ()
    username: str = "demo"
    password: str = field(default="demo-password", repr=False)
    receiver_id: str = ""  # when set, requests must be addressed to it (CORE ReceiverID)

    def payer(self, payer_id: str) -> Payer | None:
        wanted = payer_id.strip().upper()
        return next((p for p in self.payers if p.payer_id.upper() == wanted), None)

    def member(self, payer_id: str, member_id: str) -> Member | None:
        key = (payer_id.strip().upper(), member_id.strip().upper())
        return next(
            (m for m in self.members if (m.payer_id.upper(), m.member_id.upper()) == key), None
        )

    def with_credentials(self, username: str, password: str) -> SimulatorConfig:
        return dataclasses.replace(self, username=username, password=password)


# --- JSON ---------------------------------------------------------------------------------


def default_config_path() -> Path:
    return Path(str(resources.files("medoffice.payer_sim").joinpath("demo_plans.json")))


def load_config(path: str | Path | None = None) -> SimulatorConfig:
    source = Path(path) if path is not None else default_config_path()
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ConfigError(f"{source}: {error}") from None
    return config_from_dict(data)


def config_from_dict(data: Mapping[str, Any]) -> SimulatorConfig:
    payers = tuple(_payer(entry) for entry in _list(data, "payers"))
    if not payers:
        raise ConfigError("the configuration names no payers")
    config = SimulatorConfig(
        payers=payers,
        members=tuple(_member(entry) for entry in _list(data, "members")),
        username=str(data.get("username", "demo")),
        password=str(data.get("password", "demo-password")),
        receiver_id=str(data.get("receiver_id", "")),
    )
    for member in config.members:
        payer = config.payer(member.payer_id)
        if payer is None:
            raise ConfigError(f"member {member.member_id}: unknown payer {member.payer_id!r}")
        payer.plan(member.plan_id)
    return config


def _list(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ConfigError(f"{key!r} must be a list of objects")
    return value


def _money(value: Any, where: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ConfigError(f"{where}: {value!r} is not an amount") from None
    if amount < 0:
        raise ConfigError(f"{where}: {value!r} is negative")
    return amount


def _date(value: Any, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def _split(value: Any, where: str) -> Split:
    if value is None:
        return Split()
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected {{'in_network': ..., 'out_of_network': ...}}")
    return Split(
        in_network=_money(value["in_network"], where) if "in_network" in value else None,
        out_of_network=(
            _money(value["out_of_network"], where) if "out_of_network" in value else None
        ),
    )


def _fault(value: Any, where: str) -> Fault | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: a fault must be an object")
    known = {f.name for f in dataclasses.fields(Fault)}
    unknown = set(value) - known
    if unknown:
        raise ConfigError(f"{where}: unknown fault settings {sorted(unknown)}")
    return Fault(
        delay_ms=int(value.get("delay_ms", 0)),
        http_status=int(value.get("http_status", 0)),
        aaa_42=bool(value.get("aaa_42", False)),
        garbage_payload=bool(value.get("garbage_payload", False)),
        close_connection=bool(value.get("close_connection", False)),
    )


def _codes(value: Any) -> tuple[str, ...]:
    return tuple(str(code).upper() for code in (value or ()))


def _plan(entry: Mapping[str, Any], payer_id: str) -> Plan:
    where = f"payer {payer_id} plan {entry.get('plan_id', '?')}"
    pcp = entry.get("pcp")
    deductible = entry.get("deductible") or {}
    oop = entry.get("out_of_pocket") or {}
    return Plan(
        plan_id=str(entry["plan_id"]),
        name=str(entry["name"]),
        insurance_type=str(entry["insurance_type"]),
        group_number=str(entry.get("group_number", "")),
        plan_begin=_date(entry["plan_begin"], where),
        pcp=(
            Provider(
                last_name=pcp["last_name"], first_name=pcp.get("first_name", ""), npi=pcp["npi"]
            )
            if pcp
            else None
        ),
        copays={
            str(k).upper() if k != SPECIALIST else SPECIALIST: _money(v, f"{where} copay {k}")
            for k, v in (entry.get("copays") or {}).items()
        },
        coinsurance=_split(entry.get("coinsurance"), f"{where} coinsurance"),
        deductible_individual=_split(deductible.get("individual"), f"{where} deductible"),
        deductible_family=_split(deductible.get("family"), f"{where} deductible"),
        oop_individual=_split(oop.get("individual"), f"{where} out_of_pocket"),
        oop_family=_split(oop.get("family"), f"{where} out_of_pocket"),
        non_covered=_codes(entry.get("non_covered")),
        authorization_required=_codes(entry.get("authorization_required")),
    )


def _payer(entry: Mapping[str, Any]) -> Payer:
    try:
        payer_id = str(entry["payer_id"])
        rules = entry.get("prior_auth") or {}
        default = str(rules.get("default", "approve"))
        if default not in AUTH_OUTCOMES:
            raise ConfigError(
                f"payer {payer_id}: prior_auth default must be one of {AUTH_OUTCOMES}"
            )
        plans = tuple(_plan(plan, payer_id) for plan in _list(entry, "plans"))
        if not plans:
            raise ConfigError(f"payer {payer_id} has no plans")
        return Payer(
            payer_id=payer_id,
            name=str(entry["name"]),
            plans=plans,
            fault=_fault(entry.get("fault"), f"payer {payer_id}"),
            prior_auth=AuthorizationRules(
                approve=_codes(rules.get("approve")),
                pend=_codes(rules.get("pend")),
                deny=_codes(rules.get("deny")),
                not_required=_codes(rules.get("not_required")),
                default=default,
                valid_days=int(rules.get("valid_days", 90)),
                certification_prefix=str(rules.get("certification_prefix", "AUTH")),
            ),
        )
    except KeyError as missing:
        raise ConfigError(
            f"payer entry {entry.get('payer_id', '?')}: {missing} is required"
        ) from None


def _member(entry: Mapping[str, Any]) -> Member:
    where = f"member {entry.get('member_id', '?')}"
    try:
        status = str(entry.get("status", "active"))
        if status not in MEMBER_STATUSES:
            raise ConfigError(f"{where}: status must be one of {MEMBER_STATUSES}")
        overrides = entry.get("overrides") or {}
        unknown = set(overrides) - set(OVERRIDE_KEYS)
        if unknown:
            raise ConfigError(f"{where}: unknown overrides {sorted(unknown)}")
        other = entry.get("other_payer")
        return Member(
            payer_id=str(entry["payer_id"]),
            member_id=str(entry["member_id"]),
            status=status,
            plan_id=str(entry.get("plan_id", "")),
            last_name=str(entry.get("last_name", "")),
            first_name=str(entry.get("first_name", "")),
            birth_date=_date(entry["birth_date"], where) if entry.get("birth_date") else None,
            coverage_end=(
                _date(entry["coverage_end"], where) if entry.get("coverage_end") else None
            ),
            overrides={k: _money(v, f"{where} {k}") for k, v in overrides.items()},
            other_payer=(
                OtherCoverage(
                    name=str(other["name"]),
                    payer_id=str(other.get("payer_id", "")),
                    member_id=str(other.get("member_id", "")),
                    insurance_type=str(other.get("insurance_type", "MC")),
                    medicaid_managed_care=bool(other.get("medicaid_managed_care", False)),
                    primary=other.get("primary"),
                )
                if other
                else None
            ),
            fault=_fault(entry.get("fault"), where),
        )
    except KeyError as missing:
        raise ConfigError(f"{where}: {missing} is required") from None
