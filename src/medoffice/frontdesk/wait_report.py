"""Wait-time report: minutes from arrival to roomed and to seen (with provider), average and
90th percentile, per provider and day, from the check-ins and the appointments' history."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from medoffice.frontdesk.models import CheckIn
from medoffice.frontdesk.rules import waits
from medoffice.scheduling import queries as scheduling
from medoffice.scheduling.choices import AppointmentStatus as S

MAX_DAYS = 92


@dataclass(frozen=True)
class WaitLine:
    day: dt.date
    provider_id: int
    provider_name: str
    visits: int
    to_roomed_avg: float | None
    to_roomed_p90: float | None
    to_seen_avg: float | None
    to_seen_p90: float | None


def wait_lines(location: Any, first: dt.date, last: dt.date) -> list[WaitLine]:
    check_ins = list(
        CheckIn.objects.filter(location=location, arrival_date__gte=first, arrival_date__lte=last)
        .select_related("appointment__provider")
        .only(
            "arrival_date", "arrived_at", "appointment_id",
            "appointment__provider__first_name", "appointment__provider__last_name",
            "appointment__provider__credentials",
        )
    )  # fmt: skip
    times = scheduling.status_times([c.appointment_id for c in check_ins])
    groups: dict[tuple[dt.date, int], list[tuple[float | None, float | None]]] = defaultdict(list)
    names: dict[int, str] = {}
    for check_in in check_ins:
        provider = check_in.appointment.provider
        names[provider.pk] = provider.display_name
        reached = times.get(check_in.appointment_id, {})
        roomed_at, seen_at = reached.get(S.ROOMED), reached.get(S.WITH_PROVIDER)
        groups[(check_in.arrival_date, provider.pk)].append(
            (
                waits.minutes_between(check_in.arrived_at, roomed_at) if roomed_at else None,
                waits.minutes_between(check_in.arrived_at, seen_at) if seen_at else None,
            )
        )
    lines = []
    for (day, provider_id), pairs in sorted(
        groups.items(), key=lambda g: (g[0][0], names[g[0][1]])
    ):
        roomed = [float(r) for r, _ in pairs if r is not None]
        seen = [float(s) for _, s in pairs if s is not None]
        lines.append(
            WaitLine(
                day, provider_id, names[provider_id], len(pairs),
                waits.average(roomed), waits.percentile(roomed, 90),
                waits.average(seen), waits.percentile(seen, 90),
            )
        )  # fmt: skip
    return lines
