"""``medoffice bench billing``: payments one per HTTP request, and closing a busy day.

Payments: a real server (gunicorn, 2 workers x 4 threads, as ``make run`` serves) on loopback,
connected to the benchmark database; N payments are posted to ``POST /api/billing/payments``,
one per request, each with its own ``Idempotency-Key``, by C client threads on keep-alive
connections (card tenders keyed in manually, so no drawer is needed). Afterwards a sample of the
keys is sent again: each must answer with the payment already posted, and the database must
hold exactly N payments with those keys.

Day close: one past business day is built in bulk (``bench/billing_day.py``): 20,000 checked-out
appointments with their charges, 5,000 copays in cash, check and card, the desk's drawers
counted through ``count_drawer`` and the card batch recorded through ``record_settlement``.
``day_summary``, ``close_day`` and ``day_sheet`` of that day are then timed separately.
"""

from __future__ import annotations

import http.client
import os
import random
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandParser
from django.db import connection
from django.utils import timezone

from medoffice.accounts import services as account_services
from medoffice.billing.models import Payment
from medoffice.core.models import IdempotencyRecord
from medoffice.demo.bench import build
from medoffice.demo.bench import report as r
from medoffice.demo.bench.target import STALE_EXIT

DEFAULT_SEED = 2026
PATIENTS = 10_000
DESK_LOGIN = "frontdesk"
PAYMENTS_TARGET_PG = 500.0  # per second, PostgreSQL (limit here about 1,650 commits/s)
COMMIT_LIMIT = {"postgresql": 1_650.0, "sqlite": 6_100.0}  # one row per transaction, this machine
DAY_CLOSE_TARGET_S = 1.0
REPLAYED = 200
BRANDS = ["visa"] * 5 + ["mastercard"] * 3 + ["amex", "discover"]


class BillingSize(int):
    """Named ``bill_<n>`` in the database name so it never takes another benchmark's."""

    def __format__(self, spec: str) -> str:
        return f"bill_{int(self):{spec}}"

    def __str__(self) -> str:
        return format(self, "")


# ---- the server ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(port: int) -> subprocess.Popen[bytes]:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [
        gunicorn, "medoffice.config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
        "--threads", "4", "--log-level", "warning", "--keep-alive", "30",
    ]  # fmt: skip
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "medoffice.config.settings"}
    return subprocess.Popen(command, env=env)  # noqa: S603 - our own interpreter's gunicorn


def _wait_ready(port: int, server: subprocess.Popen[bytes], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"The server stopped (exit status {server.returncode}).")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/health")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("The server did not answer /api/health in time.")


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# ---- the clients --------------------------------------------------------------------------------


def payment_bodies(patient_ids: list[int], n: int, rng: random.Random) -> list[bytes]:
    """N card payments (manual entry) of 5.00-300.00 for patients picked at random."""
    bodies = []
    for _ in range(n):
        cents = rng.randrange(500, 30_001)
        bodies.append(
            orjson.dumps(
                {
                    "patient_id": rng.choice(patient_ids),
                    "purpose": "balance",
                    "tenders": [
                        {
                            "method": "card",
                            "amount": f"{cents // 100}.{cents % 100:02d}",
                            "card_brand": rng.choice(BRANDS),
                            "card_last4": f"{rng.randrange(10_000):04d}",
                            "approval_code": f"{rng.randrange(16**6):06X}",
                            "entry_mode": "manual",
                        }
                    ],
                }
            )
        )
    return bodies


@dataclass
class Posted:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    first_error: str = ""


def post_all(port: int, token: str, bodies: list[bytes], keys: list[str], clients: int) -> Posted:
    """Every body once, shared out over ``clients`` threads with a keep-alive connection each."""
    out = Posted()
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def client(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        seen: Counter[int] = Counter()
        error = ""
        barrier.wait()
        for i in range(k, len(bodies), clients):
            headers = {
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Idempotency-Key": keys[i],
            }
            began = time.perf_counter()
            try:
                conn.request("POST", "/api/billing/payments", bodies[i], headers)
                response = conn.getresponse()
                text = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status, text = 0, str(exc).encode()
            mine.append(time.perf_counter() - began)
            seen[status] += 1
            if status != 201 and not error:
                error = f"{status}: {text[:300]!r}"
        conn.close()
        with lock:
            out.latencies.extend(mine)
            out.statuses.update(seen)
            out.first_error = out.first_error or error

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    out.seconds = time.perf_counter() - began
    out.latencies.sort()
    return out


def _patient_ids() -> list[int]:
    from medoffice.patients import queries as patient_queries

    return list(patient_queries.list_patients().order_by("pk").values_list("pk", flat=True))


def measure_payments(
    n: int, clients: int, seed: int, write: Callable[[str], None]
) -> tuple[Posted, Posted, int]:
    """(first posting, replay of a sample, payments found with the run's keys)."""
    user = get_user_model().objects.get(username=DESK_LOGIN)
    token, raw = account_services.create_api_token(
        user=user, name="billing benchmark", acting_user=None
    )
    rng = random.Random(seed)  # noqa: S311 - load pattern, not secrets
    run = uuid.uuid4().hex[:12]
    keys = [f"bench-{run}-{i}" for i in range(n)]
    bodies = payment_bodies(_patient_ids(), n, rng)
    port = _free_port()
    connection.close()  # the server's workers open their own
    server = _serve(port)
    try:
        _wait_ready(port, server)
        post_all(port, raw, bodies[: min(50, n)], [f"warm-{run}-{i}" for i in range(n)], 2)
        first = post_all(port, raw, bodies, keys, clients)
        sample = rng.sample(range(n), min(REPLAYED, n))
        again = post_all(port, raw, [bodies[i] for i in sample], [keys[i] for i in sample], clients)
    finally:
        _stop(server)
        account_services.revoke_api_token(token=token, acting_user=None)
    found = _answered_once(user, f"bench-{run}-")
    return first, again, found


def _answered_once(user: Any, prefix: str) -> int:
    """Payments the run's keys posted: one stored answer per key, each naming its own payment."""
    rows = IdempotencyRecord.objects.filter(user=user, key__startswith=prefix, status_code=201)
    ids = {orjson.loads(bytes(body))["id"] for body in rows.values_list("response_body", flat=True)}
    return Payment.objects.filter(pk__in=ids).count()


def print_payments(options: dict[str, Any], vendor: str, write: Callable[[str], None]) -> None:
    n, clients = int(options["payments"]), int(options["clients"])
    write(
        f"Payments one per request: POST /api/billing/payments, Idempotency-Key each, card "
        f"(manual entry), {clients} clients on keep-alive connections, gunicorn 2x4 threads"
    )
    first, again, found = measure_payments(n, clients, int(options["seed"]), write)
    per_s = r.per_second(first.statuses[201], first.seconds)
    limit = COMMIT_LIMIT[vendor]
    table = r.Table(
        write,
        [r.Column("run", 30, "<"), r.Column("posted", 7), r.Column("rate", 9),
         r.Column("p50", 8), r.Column("p95", 8), r.Column("target", 9), r.Column("", 6),
         r.Column("of limit", 24, "<")],
    )  # fmt: skip
    target = PAYMENTS_TARGET_PG if vendor == "postgresql" else 0.0
    table.row(
        f"{n:,} payments", f"{first.statuses[201]:,}", r.rate(per_s),
        f"{r.percentile(first.latencies, 50) * 1000:.1f} ms",
        f"{r.percentile(first.latencies, 95) * 1000:.1f} ms",
        f">={target:,.0f}/s" if target else "-",
        r.verdict(per_s >= target) if target else "",
        f"{per_s / limit:.0%} of {limit:,.0f} commits/s",
    )  # fmt: skip
    replayed = again.statuses[201]
    table.row(
        f"same keys again ({len(again.latencies)})", "0", r.rate(
            r.per_second(len(again.latencies), again.seconds)),
        f"{r.percentile(again.latencies, 50) * 1000:.1f} ms",
        f"{r.percentile(again.latencies, 95) * 1000:.1f} ms", "-", "", "answered as first posted",
    )  # fmt: skip
    for name, run in (("first posting", first), ("replay", again)):
        other = {k: v for k, v in run.statuses.items() if k != 201}
        if other:
            write(f"  {name}: other answers {dict(other)}; first: {run.first_error}")
    ok = found == n and replayed == len(again.latencies)
    write(
        f"Posted once: {found:,} payments hold this run's {n:,} keys after the replay "
        f"({'ok' if ok else 'FAILED'})."
    )
    if vendor != "postgresql":
        write(f"Target on PostgreSQL: >= {PAYMENTS_TARGET_PG:,.0f}/s (limit ~1,650 commits/s).")


# ---- the workload -------------------------------------------------------------------------------


class BillingWorkload:
    help = "Billing: payments one per HTTP request (Idempotency-Key), closing a 20k-visit day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--payments", type=int, default=10_000, help="Posted one per request.")
        parser.add_argument("--clients", type=int, default=8, help="Concurrent HTTP clients.")
        parser.add_argument("--day-appointments", type=int, default=20_000)
        parser.add_argument("--day-payments", type=int, default=5_000)
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--skip-http", action="store_true", help="Only the day close.")

    def database_size(self, options: dict[str, Any]) -> int:
        return BillingSize(PATIENTS)

    def worker_arguments(self, options: dict[str, Any]) -> list[str]:
        names = ("payments", "clients", "day_appointments", "day_payments", "seed")
        out = []
        for name in names:
            out += [f"--{name.replace('_', '-')}", str(options[name])]
        return out + (["--skip-http"] if options["skip_http"] else [])

    def work(self, options: dict[str, Any], record: Path, write: Callable[[str], None]) -> int:
        from medoffice.demo.bench import billing_day
        from medoffice.demo.bench.workloads import _database_version

        seed = int(options["seed"])
        call_command("migrate", verbosity=0, interactive=False)
        found = build.state(PATIENTS, seed)
        if found == "stale":
            return STALE_EXIT
        if found == "empty":
            write(f"Building the benchmark database: {PATIENTS:,} patients (seed {seed})...")
            build.build(PATIENTS, seed, record, lambda k: None)
        build.settle()
        vendor = connection.vendor
        write(
            f"medoffice bench billing | {_database_version()} | {PATIENTS:,} patients"
            f" | seed {seed} | {timezone.localtime():%Y-%m-%d %H:%M}"
        )
        if not options["skip_http"] and int(options["payments"]) > 0:
            print_payments(options, vendor, write)
        billing_day.print_day_close(
            int(options["day_appointments"]), int(options["day_payments"]), seed, write
        )
        return 0
