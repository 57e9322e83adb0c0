"""The desk's view of a 271: copay, coinsurance, deductibles and out-of-pocket, JSON-ready."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal

from . import codes
from .models import Benefit, EligibilityResponse, OtherPayer, Party

CENT = Decimal("0.01")
INDIVIDUAL_LEVELS = ("IND", "", "EMP")
FAMILY_LEVELS = ("FAM",)
NETWORKS: dict[str, tuple[bool | None, ...]] = {"in": (True, None), "out": (False, None)}


def money(value: Decimal | None) -> str | None:
    """A Decimal as a JSON string with at least two decimal places ("25.00", "0.20")."""
    if value is None:
        return None
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        value = value.quantize(CENT)
    return format(value, "f")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _has_type(benefit: Benefit, service_type: str) -> bool:
    if service_type == "":
        return not benefit.service_types
    return service_type in benefit.service_types


def _pick(
    benefits: Iterable[Benefit],
    code: str,
    types: tuple[str, ...],
    network: str,
    levels: tuple[str, ...] | None = None,
    period: Callable[[str], bool] | None = None,
) -> Benefit | None:
    """The most specific benefit: service type first (in ``types`` order), then network, level."""
    wanted = [
        b
        for b in benefits
        if b.code == code
        and (b.amount is not None or b.percent is not None)
        and (levels is None or b.coverage_level in levels)
        and (period is None or period(b.time_period))
    ]
    for service_type in types:
        typed = [b for b in wanted if _has_type(b, service_type)]
        for in_network in NETWORKS[network]:
            matches = [b for b in typed if b.in_network is in_network]
            if not matches:
                continue
            if levels is not None:
                matches.sort(key=lambda b: levels.index(b.coverage_level))
            return matches[0]
    return None


def _is_total(period: str) -> bool:
    return period not in codes.REMAINING_PERIODS and period != codes.YEAR_TO_DATE


def _is_remaining(period: str) -> bool:
    return period in codes.REMAINING_PERIODS


def _is_to_date(period: str) -> bool:
    return period == codes.YEAR_TO_DATE


def _amount(benefit: Benefit | None) -> Decimal | None:
    return benefit.amount if benefit is not None else None


def _limits(
    benefits: tuple[Benefit, ...], code: str, types: tuple[str, ...], network: str, family: bool
) -> tuple[Decimal | None, Decimal | None]:
    """(total, remaining) of a deductible (C) or out-of-pocket maximum (G).

    Remaining is the payer's EB06 29 figure; failing that, total less the year-to-date (24) met.
    """
    levels = FAMILY_LEVELS if family else INDIVIDUAL_LEVELS
    total = _amount(_pick(benefits, code, types, network, levels, _is_total))
    remaining = _amount(_pick(benefits, code, types, network, levels, _is_remaining))
    if remaining is None and total is not None:
        met = _amount(_pick(benefits, code, types, network, levels, _is_to_date))
        if met is not None:
            remaining = max(total - met, Decimal(0))
    return total, remaining


def _party(party: Party | None) -> dict[str, object] | None:
    if party is None:
        return None
    name = party.name if not party.first_name else f"{party.name}, {party.first_name}"
    return {"name": name, "id_qualifier": party.id_qualifier, "identifier": party.identifier}


def _other(payer: OtherPayer) -> dict[str, object]:
    return {
        "name": payer.name,
        "payer_id": payer.payer_id,
        "member_id": payer.member_id,
        "insurance_type": payer.insurance_type,
        "insurance_type_name": codes.insurance_type_name(payer.insurance_type),
        "coverage_level": payer.coverage_level,
        "medicaid_managed_care": payer.medicaid_managed_care,
        "primary": payer.primary,
    }


def _per_service_type(benefits: tuple[Benefit, ...]) -> dict[str, dict[str, object]]:
    seen: list[str] = []
    for benefit in benefits:
        for service_type in benefit.service_types:
            if service_type not in seen:
                seen.append(service_type)
    result: dict[str, dict[str, object]] = {}
    for service_type in seen:
        mine = [b for b in benefits if service_type in b.service_types]
        if any(b.code in codes.ACTIVE_CODES for b in mine):
            active: bool | None = True
        elif any(b.code in codes.INACTIVE_CODES for b in mine) or any(b.code == "I" for b in mine):
            active = False
        else:
            active = None
        only = (service_type,)
        coins_in = _pick(mine, "A", only, "in")
        coins_out = _pick(mine, "A", only, "out")
        auth = next(
            (b.authorization_required for b in mine if b.authorization_required is not None), None
        )
        result[service_type] = {
            "name": codes.service_type_name(service_type),
            "active": active,
            "copay_in_network": money(_amount(_pick(mine, "B", only, "in"))),
            "copay_out_of_network": money(_amount(_pick(mine, "B", only, "out"))),
            "coinsurance_in_network": money(coins_in.percent if coins_in else None),
            "coinsurance_out_of_network": money(coins_out.percent if coins_out else None),
            "authorization_required": auth,
            "messages": [m for b in mine for m in b.messages],
        }
    return result


def summarize_271(
    response: EligibilityResponse, service_type: str = "98", *, per_service_type: bool = True
) -> dict[str, object]:
    """JSON-ready figures for the desk ("25.00", "0.20", ISO dates, None where not sent).

    The office visit is service type ``service_type`` (98, physician visit - office), falling back
    to 30 (plan coverage) and then to benefits naming no service type. In-network means EB12 Y or
    W/absent (applies to both); out-of-network N or W/absent. Deductibles and out-of-pocket
    maximums are read at plan level (30) first.
    """
    benefits = response.benefits
    by_code: dict[str, tuple[Benefit, ...]] = {}
    for benefit in benefits:  # each figure below looks at one EB01 code only
        by_code[benefit.code] = (*by_code.get(benefit.code, ()), benefit)
    visit = (service_type, "30", "") if service_type != "30" else ("30", "")
    plan = ("30", "", service_type) if service_type != "30" else ("30", "")
    summary: dict[str, object] = {
        "active": response.active,
        "plan": response.plan_name,
        "insurance_type": response.insurance_type,
        "insurance_type_name": codes.insurance_type_name(response.insurance_type),
        "payer": response.payer.name,
        "service_type": service_type,
        "trace_numbers": list(response.trace_numbers),
    }
    for network, suffix in (("in", "in_network"), ("out", "out_of_network")):
        copay = _pick(by_code.get("B", ()), "B", visit, network)
        coinsurance = _pick(by_code.get("A", ()), "A", visit, network)
        summary[f"copay_office_visit{'' if network == 'in' else '_out_of_network'}"] = money(
            _amount(copay)
        )
        summary[f"coinsurance_{suffix}"] = money(coinsurance.percent if coinsurance else None)
        for code, name in (("C", "deductible"), ("G", "oop")):
            for family, level in ((False, "individual"), (True, "family")):
                total, remaining = _limits(by_code.get(code, ()), code, plan, network, family)
                summary[f"{name}_{level}_{suffix}"] = money(total)
                summary[f"{name}_remaining_{level}_{suffix}"] = money(remaining)
    summary.update(
        {
            "pcp": _party(response.pcp),
            "group_number": response.group_number,
            "plan_begin": _iso(response.plan_begin),
            "plan_end": _iso(response.plan_end),
            "other_payers": [_other(p) for p in response.other_payers],
            "rejections": [
                {
                    "code": r.code,
                    "explanation": r.explanation,
                    "follow_up": r.follow_up,
                    "follow_up_words": codes.follow_up_words(r.follow_up),
                    "retry_may_help": r.retry_may_help,
                    "loop": r.loop,
                }
                for r in response.rejections
            ],
            "messages": [m for b in benefits for m in b.messages],
            # The table by service type is half the work: a bulk store may leave it out.
            "benefits": _per_service_type(benefits) if per_service_type else None,
        }
    )
    return summary


def desk_figures(
    response: EligibilityResponse, service_type: str = "98"
) -> dict[str, Decimal | None]:
    """Only the four figures the desk and the estimate need, in network and for the individual
    (the same choices as ``summarize_271``, at a fraction of its cost, for storing many 271s):
    copay_office_visit, coinsurance_in_network, deductible_remaining_individual_in_network,
    oop_remaining_individual_in_network."""
    by_code: dict[str, list[Benefit]] = {}
    for benefit in response.benefits:
        if benefit.code in "ABCG":
            by_code.setdefault(benefit.code, []).append(benefit)
    visit = (service_type, "30", "") if service_type != "30" else ("30", "")
    plan = ("30", "", service_type) if service_type != "30" else ("30", "")
    coinsurance = _pick(by_code.get("A", ()), "A", visit, "in")
    return {
        "copay_office_visit": _amount(_pick(by_code.get("B", ()), "B", visit, "in")),
        "coinsurance_in_network": coinsurance.percent if coinsurance else None,
        "deductible_remaining_individual_in_network": _limits(
            tuple(by_code.get("C", ())), "C", plan, "in", False
        )[1],
        "oop_remaining_individual_in_network": _limits(
            tuple(by_code.get("G", ())), "G", plan, "in", False
        )[1],
    }
