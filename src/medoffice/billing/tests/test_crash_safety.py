"""The issue's "Done when": SIGKILL of the server in the middle of a batch leaves no partial
payment, and sending the batch again with the same keys completes it.

A real gunicorn process serves the test database; the test sends a 300-payment batch, kills the
whole process group with SIGKILL once some payments are committed, checks every payment is
whole or absent, restarts the server and sends the same batch again.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, Sum

from medoffice.accounts import services as account_services
from medoffice.audit.testing import (  # noqa: F401 (fixtures)
    _audit_checkpoint_in_tmp,
    _audit_flush_allowed,
)
from medoffice.billing.models import LedgerEntry, Payment
from medoffice.billing.tests.api_client import card_body
from medoffice.billing.tests.factories import make_office

pytestmark = pytest.mark.django_db(transaction=True)
ITEMS = 300


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    host, port = settings.get("HOST") or "127.0.0.1", settings.get("PORT") or 5432
    return f"postgres://{settings['USER']}@{host}:{port}/{settings['NAME']}"


class Server:
    def __init__(self, tmp: Path) -> None:
        self.port = _free_port()
        self.tmp = tmp
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "MEDOFFICE_ENV": "test",
            "MEDOFFICE_AUDIT_CHECKPOINT_FILE": str(self.tmp / "checkpoint.json"),
        }
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.process = subprocess.Popen(
            [gunicorn, "medoffice.config.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "1", "--timeout", "120"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/accounts/login/", timeout=2):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("the server did not start")

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    found = Server(tmp_path)
    yield found
    if found.process is not None and found.process.poll() is None:
        found.kill()


def _batch(patient_id: int) -> dict[str, Any]:
    return {
        "items": [
            {**card_body(patient_id, f"{1 + n % 40}.{n % 100:02d}"), "key": f"lockbox-{n}"}
            for n in range(ITEMS)
        ]
    }


@dataclass
class Answer:
    status: int
    body: dict[str, Any]


def _send(server: Server, token: str, body: dict[str, Any]) -> Answer | Exception:
    request = urllib.request.Request(  # noqa: S310 - loopback test server
        server.url + "/api/billing/payment-batches",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return Answer(response.status, json.loads(response.read()))
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, {"error": exc.read().decode()})
    except OSError as exc:
        return exc


def _assert_whole_or_absent(expected: dict[str, Decimal]) -> None:
    payments = Payment.objects.annotate(
        tendered=Sum("tenders__amount", distinct=True), tenders_n=Count("tenders", distinct=True)
    )
    for payment in payments:
        assert payment.key in expected
        assert payment.amount == expected[payment.key]
        assert payment.tenders_n == 1
        assert payment.tendered == payment.amount
        posted = LedgerEntry.objects.filter(payment=payment).aggregate(t=Sum("amount"))["t"]
        assert posted == -payment.amount
    orphans = LedgerEntry.objects.filter(kind="payment", payment__isnull=True).count()
    assert orphans == 0


def test_sigkill_mid_batch_leaves_no_partial_payment_and_a_resend_completes_it(
    server: Server,
) -> None:
    # given a desk login's API token and a 300-payment batch, each item with its own key
    office = make_office()
    token = account_services.create_api_token(user=office.desk, name="lockbox", acting_user=None)[1]
    body = _batch(office.patient.pk)
    expected = {item["key"]: Decimal(item["tenders"][0]["amount"]) for item in body["items"]}
    server.start()

    # when the server is killed with SIGKILL while it is posting the batch
    answer: list[Answer | Exception] = []
    sender = threading.Thread(target=lambda: answer.append(_send(server, token, body)))
    sender.start()
    deadline = time.monotonic() + 60
    while Payment.objects.count() < 20 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.kill()
    sender.join(timeout=60)
    connection.close()

    # then the batch was cut short, and each payment is either whole or absent
    assert isinstance(answer[0], Exception), "the batch finished before the kill"
    posted_before = Payment.objects.count()
    assert 20 <= posted_before < ITEMS
    _assert_whole_or_absent(expected)

    # when the same batch is sent again to a restarted server
    server.start()
    again = _send(server, token, body)

    # then the rest is posted, what was posted is replayed, and nothing is posted twice
    assert isinstance(again, Answer)
    assert again.status == 200, again.body
    result = again.body
    assert result["refused"] == 0
    assert result["replayed"] == posted_before
    assert result["posted"] == ITEMS - posted_before
    assert Payment.objects.count() == ITEMS
    _assert_whole_or_absent(expected)
    total = Payment.objects.aggregate(t=Sum("amount"))["t"]
    assert total == sum(expected.values())
