"""How much of the deductible and out-of-pocket maximum a member has left, from the member ID.

A stable hash of payer and member ID picks how far into the year each member is, so the same
member always gets the same figures and different members differ. About one member in ten has met
the deductible. Family figures never leave less than the individual ones imply, and what counts
toward the out-of-pocket maximum includes what was paid toward the deductible. A member entry's
``overrides`` pin any figure.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from medoffice.payer_sim.config import Plan

CENT = Decimal("0.01")
OUT_OF_NETWORK_SHARE = Decimal("0.25")  # members spend far less out of network


@dataclass(frozen=True)
class Remaining:
    """The remaining figures by ``OVERRIDE_KEYS`` name (None where the plan has no such figure)."""

    values: Mapping[str, Decimal | None]

    def get(self, key: str) -> Decimal | None:
        return self.values.get(key)


def fraction(payer_id: str, member_id: str, label: str) -> Decimal:
    """A stable number in [0, 1] for this member and figure: 1 for about a tenth of members."""
    digest = hashlib.sha256(f"{payer_id.upper()}|{member_id.upper()}|{label}".encode()).digest()
    value = int.from_bytes(digest[:8], "big")
    if label.startswith("deductible") and value % 10 == 0:
        return Decimal(1)
    return (Decimal((value >> 8) % 1000) / Decimal(1000) * Decimal("0.9")).quantize(
        Decimal("0.001")
    )


def _part(total: Decimal, share: Decimal) -> Decimal:
    return (total * share).quantize(CENT, rounding=ROUND_HALF_UP)


def _network(
    plan: Plan, network: str, payer_id: str, member_id: str, scale: Decimal
) -> dict[str, Decimal | None]:
    def total(split_name: str) -> Decimal | None:
        value: Decimal | None = getattr(getattr(plan, split_name), network)
        return value

    def share(label: str) -> Decimal:
        return min(Decimal(1), fraction(payer_id, member_id, f"{label}|{network}") * scale)

    ded_ind, ded_fam = total("deductible_individual"), total("deductible_family")
    oop_ind, oop_fam = total("oop_individual"), total("oop_family")
    met: dict[str, Decimal] = {}
    if ded_ind is not None:
        met["ded_ind"] = _part(ded_ind, share("deductible_individual"))
    if ded_fam is not None:
        # The family has met at least what this member has, and never leaves less to meet
        # than the member does: met = member's + a share of (family - individual).
        ind_met, ind_total = met.get("ded_ind", Decimal(0)), ded_ind or Decimal(0)
        gap = max(ded_fam - ind_total, Decimal(0))
        met["ded_fam"] = min(ded_fam, ind_met + _part(gap, share("df")))
    if oop_ind is not None:
        floor = min(met.get("ded_ind", Decimal(0)), oop_ind)  # deductible counts toward it
        extra = _part(oop_ind - floor, share("oop_individual") / 2)
        met["oop_ind"] = min(oop_ind, floor + extra)
    if oop_fam is not None:
        ind_met = met.get("oop_ind", Decimal(0))
        ceiling = min(oop_fam, ind_met + max(oop_fam - (oop_ind or Decimal(0)), Decimal(0)))
        floor = min(max(ind_met, met.get("ded_fam", Decimal(0))), ceiling)
        met["oop_fam"] = floor + _part(ceiling - floor, share("of") / 2)

    def left(limit: Decimal | None, key: str) -> Decimal | None:
        return None if limit is None else (limit - met[key]).quantize(CENT)

    return {
        f"deductible_remaining_individual_{network}": left(ded_ind, "ded_ind"),
        f"deductible_remaining_family_{network}": left(ded_fam, "ded_fam"),
        f"oop_remaining_individual_{network}": left(oop_ind, "oop_ind"),
        f"oop_remaining_family_{network}": left(oop_fam, "oop_fam"),
    }


def remaining(
    plan: Plan, payer_id: str, member_id: str, overrides: Mapping[str, Decimal] | None = None
) -> Remaining:
    values = {
        **_network(plan, "in_network", payer_id, member_id, Decimal(1)),
        **_network(plan, "out_of_network", payer_id, member_id, OUT_OF_NETWORK_SHARE),
    }
    for key, amount in (overrides or {}).items():
        values[key] = amount.quantize(CENT)
    return Remaining(values)
