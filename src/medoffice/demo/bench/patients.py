"""``medoffice bench patients``: the patient registry at 100,000 (or 1,000,000) patients.

Prints search latency by query type and the plans behind it, registration one per request
(through the service, and through the HTTP API when it exists), and bulk import rates, each
beside its target and the peer (GNU Health). Runs in the worker process, connected to the
benchmark's own database; the records it registers are removed again afterwards, so the next
run finds the database as built.
"""

from __future__ import annotations

import importlib.util
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from django.contrib.auth import get_user_model
from django.db.models import Max
from django.test import Client
from django.utils import timezone

from medoffice.accounts import services as account_services
from medoffice.demo.bench import report as r
from medoffice.demo.bench import search as bench_search
from medoffice.demo.bench.build import BuildRecord
from medoffice.demo.population import Population
from medoffice.demo.scripted import PracticeIds
from medoffice.demo.steps import PRIMARY_CARE
from medoffice.patients import bulk, queries, search, services
from medoffice.patients.errors import PossibleDuplicates
from medoffice.practice import queries as practice_queries
from medoffice.practice.choices import Specialty

DESK_LOGIN = "frontdesk"
SERVICE_STREAM, API_STREAM, BULK_STREAM = 1, 2, 3


@dataclass(frozen=True)
class Options:
    patients: int
    seed: int
    queries: int
    registrations: int
    api_registrations: int
    fresh_bulk: int


def run(
    options: Options, build: BuildRecord | None, vendor: str, write: Callable[[str], None]
) -> None:
    rng = random.Random(options.seed)  # noqa: S311 - sampling, not secrets
    made = bench_search.sample(options.queries, rng)
    write("")
    bench_search.print_latency(
        write, bench_search.time_searches(made, search.search_patients), options.patients
    )
    write("")
    bench_search.print_plans(write, made, search.explain_search)
    write("")
    _print_registrations(options, write)
    write("")
    _print_bulk(options, build, vendor, write)


# ---- people to register ---------------------------------------------------------------------


def _practice() -> PracticeIds:
    providers = list(practice_queries.list_providers())
    return PracticeIds(
        family=tuple(p.pk for p in providers if p.specialty in PRIMARY_CARE),
        pediatrics=tuple(p.pk for p in providers if p.specialty == Specialty.PEDIATRICS),
        referrers=tuple(p.pk for p in practice_queries.list_referring_providers()),
    )


def _newcomers(seed: int, stream: int, count: int, *, singles: bool) -> list[dict[str, Any]]:
    """More people like the population's, with numbers of their own (``stream``)."""
    people = Population(seed, timezone.localdate(), _practice(), stream)
    rows: list[dict[str, Any]] = []
    while len(rows) < count:
        house = people.household()
        rows.extend(row for row in house if not (singles and "guarantor_key" in row))
    return rows[:count]  # a household's guarantor comes before the people it pays for


def _service_values(
    row: dict[str, Any], providers: dict[int, Any], referrers: dict[int, Any]
) -> dict[str, Any]:
    values = {k: v for k, v in row.items() if k not in ("key", "guarantor_key")}
    values["primary_care_provider"] = providers.get(values.pop("primary_care_provider", None))
    values["referring_provider"] = referrers.get(values.pop("referring_provider", None))
    return values


def _api_body(row: dict[str, Any]) -> dict[str, Any]:
    body = {
        k: v
        for k, v in row.items()
        if k not in ("key", "guarantor_key", "primary_care_provider", "referring_provider")
    }
    if row.get("primary_care_provider"):
        body["primary_care_provider_id"] = row["primary_care_provider"]
    if row.get("referring_provider"):
        body["referring_provider_id"] = row["referring_provider"]
    return body


class _Added:
    """Removes the patients added inside the block (the benchmark database stays as built)."""

    def __enter__(self) -> _Added:
        self.before = queries.list_patients().aggregate(last=Max("pk"))["last"] or 0
        return self

    def __exit__(self, *exc: object) -> None:
        added = queries.list_patients().filter(pk__gt=self.before)
        added.update(guarantor=None, guarantor_relationship="self")  # guarantors are protected
        added.delete()


# ---- registration one per request --------------------------------------------------------------


def register_by_service(rows: list[dict[str, Any]], user: Any) -> tuple[float, int]:
    """Each registration in its own transaction, duplicate check included; (seconds, warned)."""
    providers = {p.pk: p for p in practice_queries.list_providers()}
    referrers = {p.pk: p for p in practice_queries.list_referring_providers()}
    prepared = [_service_values(row, providers, referrers) for row in rows]
    warned = 0
    began = time.perf_counter()
    for values in prepared:
        try:
            services.register_patient(acting_user=user, **values)
        except PossibleDuplicates as exc:  # the desk checks the candidates and goes on
            warned += 1
            seen = [c.patient.pk for c in exc.candidates]
            services.register_patient(acting_user=user, acknowledged_duplicates=seen, **values)
    return time.perf_counter() - began, warned


def register_by_api(rows: list[dict[str, Any]], user: Any) -> tuple[float, int]:
    """POST /api/patients/ through Django's full request stack in-process, bearer token."""
    token, raw = account_services.create_api_token(user=user, name="benchmark", acting_user=None)
    client = Client(HTTP_HOST="localhost", headers={"Authorization": f"Bearer {raw}"})
    bodies = [orjson.dumps(_api_body(row)) for row in rows]
    warned = 0
    began = time.perf_counter()
    for body in bodies:
        response = client.post("/api/patients/", body, content_type="application/json")
        if response.status_code == 409:
            warned += 1
            again = orjson.loads(body) | {"acknowledged_duplicates": True}
            response = client.post(
                "/api/patients/", orjson.dumps(again), content_type="application/json"
            )
        if response.status_code != 201:
            raise RuntimeError(
                f"The API answered {response.status_code}: {response.content[:300]!r}"
            )
    seconds = time.perf_counter() - began
    account_services.revoke_api_token(token=token, acting_user=None)
    return seconds, warned


def _print_registrations(options: Options, write: Callable[[str], None]) -> None:
    user = get_user_model().objects.get(username=DESK_LOGIN)
    write("Registration, one patient per request (own transaction, duplicate check included)")
    table = r.Table(
        write,
        [
            r.Column("path", 34, "<"),
            r.Column("count", 6),
            r.Column("rate", 9),
            r.Column("target", 10),
            r.Column("", 6),
            r.Column("vs peer", 22, "<"),
        ],
    )
    runs: list[tuple[str, int, Callable[..., tuple[float, int]], int]] = [
        ("service register_patient", options.registrations, register_by_service, SERVICE_STREAM)
    ]
    if importlib.util.find_spec("medoffice.patients.api") is not None:
        runs.append(
            ("HTTP API POST /api/patients/", options.api_registrations, register_by_api, API_STREAM)
        )
    else:
        write("(no patients API yet: HTTP registration not measured)")
    for label, count, register, stream in runs:
        if count <= 0:
            continue
        rows = _newcomers(options.seed, stream, count, singles=True)
        with _Added():
            seconds, warned = register(rows, user)
        per_s = r.per_second(len(rows), seconds)
        target = r.REGISTRATION_TARGET_PER_S
        table.row(
            label,
            f"{len(rows):,}",
            r.rate(per_s),
            f">={target:,.0f}/s",
            r.verdict(per_s >= target),
            r.times_peer(per_s, r.PEER_CREATE_PER_S),
        )
        if warned:
            write(f"  ({warned} possible-duplicate warnings acknowledged and registered)")


# ---- bulk ----------------------------------------------------------------------------------


def _print_bulk(
    options: Options, build: BuildRecord | None, vendor: str, write: Callable[[str], None]
) -> None:
    write("Bulk import (patients.bulk.import_patients: validation, keys, SSN encryption, audit)")
    table = r.Table(
        write,
        [
            r.Column("import", 34, "<"),
            r.Column("count", 9),
            r.Column("rate", 9),
            r.Column("target", 10),
            r.Column("", 6),
            r.Column("vs peer", 22, "<"),
        ],
    )
    target = r.BULK_TARGET_PER_S if vendor == "sqlite" else 0.0
    target_text = f">={target:,.0f}/s" if target else "(SQLite only)"

    def line(label: str, count: int, per_s: float) -> None:
        verdict = r.verdict(per_s >= target) if target else ""
        table.row(
            label,
            f"{count:,}",
            r.rate(per_s),
            target_text,
            verdict,
            r.times_peer(per_s, r.PEER_CREATE_PER_S),
        )

    if build is not None:
        line(f"build of the database ({build.built_on[:10]})", build.patients, build.import_rate)
    else:
        write("(build figure unknown: the database was built without a record)")
    if options.fresh_bulk > 0:
        rows = _newcomers(options.seed, BULK_STREAM, options.fresh_bulk, singles=False)
        with _Added():
            began = time.perf_counter()
            bulk.import_patients(rows, acting_user=None)
            seconds = time.perf_counter() - began
        line(f"a fresh {len(rows):,} on top", len(rows), r.per_second(len(rows), seconds))
