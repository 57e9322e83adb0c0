"""The Idempotency-Key mechanism, exercised on a small test-only API (reused by billing later)."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from io import StringIO
from typing import Any

import orjson
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path
from django.utils import timezone
from ninja import NinjaAPI, Schema, Status

from medoffice.accounts import services as account_services
from medoffice.accounts.models import User
from medoffice.api.idempotency import idempotent, purge_expired
from medoffice.api.problems import ProblemError, register_problem_handlers
from medoffice.api.security import BearerTokenAuth, StaffSessionAuth
from medoffice.audit.testing import (  # noqa: F401 (fixtures)
    _audit_checkpoint_in_tmp,
    _audit_flush_allowed,
)
from medoffice.core.models import IdempotencyRecord

test_api = NinjaAPI(urls_namespace="idempotency-test", auth=[BearerTokenAuth(), StaffSessionAuth()])
register_problem_handlers(test_api)

PROBLEM = "application/problem+json"
URLCONF = "medoffice.api.tests.test_idempotency"


class GroupIn(Schema):
    name: str


class GroupOut(Schema):
    id: int
    name: str


@test_api.post("/groups", response={201: GroupOut})
@idempotent
def create_group(request: HttpRequest, payload: GroupIn, response: HttpResponse) -> Any:
    """Creates a row: a second effect would show as a second row (or a 409 on the name)."""
    if Group.objects.filter(name=payload.name).exists():
        raise ProblemError(409, "Name taken", "A group with that name exists.")
    group = Group.objects.create(name=payload.name)
    response["Location"] = f"/t/groups/{group.pk}"
    return Status(201, group)


@test_api.post("/groups-then-fail")
@idempotent
def create_then_fail(request: HttpRequest, payload: GroupIn) -> Any:
    Group.objects.create(name=payload.name)
    raise RuntimeError("unexpected")


@test_api.delete("/groups/{name}", response={204: None})
@idempotent
def delete_group(request: HttpRequest, name: str) -> Any:
    Group.objects.filter(name=name).delete()
    return Status(204, None)


urlpatterns = [path("t/", test_api.urls)]


def make_user(username: str) -> User:
    return User.objects.create_user(username=username, password="x-Synthetic-pass-1")


def bearer(user: User) -> Client:
    _, raw = account_services.create_api_token(user=user, name="tests", acting_user=None)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client: Client, url: str, body: Any, key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(url, orjson.dumps(body), content_type="application/json", headers=headers)


def made() -> Any:
    """The groups these tests create (role groups exist already)."""
    return Group.objects.filter(name__startswith="t-")


def data(response: Any) -> Any:
    return orjson.loads(response.content)


@pytest.fixture
def caller(db: None) -> Client:
    return bearer(make_user("caller"))


@pytest.fixture(autouse=True)
def _test_urls(settings: Any) -> None:
    settings.ROOT_URLCONF = URLCONF


def test_without_the_header_nothing_is_stored(caller: Client) -> None:
    first = post(caller, "/t/groups", {"name": "t-north"})
    second = post(caller, "/t/groups", {"name": "t-north"})
    assert (first.status_code, second.status_code) == (201, 409)
    assert IdempotencyRecord.objects.count() == 0


def test_a_retry_after_success_replays_the_first_answer(caller: Client) -> None:
    # given a request that succeeded
    first = post(caller, "/t/groups", {"name": "t-north"}, key="key-1")
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first
    # when it is sent again with the same key
    again = post(caller, "/t/groups", {"name": "t-north"}, key="key-1")
    # then the same answer comes back, marked as replayed, and nothing else was done
    assert again.status_code == 201
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"] == "application/json; charset=utf-8"
    assert again["Location"] == first["Location"] == f"/t/groups/{data(first)['id']}"
    assert again["Idempotent-Replayed"] == "true"
    assert made().count() == 1
    record = IdempotencyRecord.objects.get()
    assert (record.key, record.method, record.path, record.status_code) == (
        "key-1",
        "POST",
        "/t/groups",
        201,
    )
    assert len(record.request_hash) == 64


def test_json_key_order_is_the_same_request(caller: Client) -> None:
    raw = b'{"name": "t-north", "extra": 1}'
    reordered = b'{"extra": 1, "name": "t-north"}'
    headers = {"Idempotency-Key": "k"}
    first = caller.post("/t/groups", raw, content_type="application/json", headers=headers)
    again = caller.post("/t/groups", reordered, content_type="application/json", headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"


@pytest.mark.parametrize(
    ("url", "body"),
    [("/t/groups", {"name": "t-south"}), ("/t/groups?x=1", {"name": "t-north"})],
)
def test_the_same_key_for_another_request_is_refused(caller: Client, url: str, body: Any) -> None:
    # given a key used for one request
    post(caller, "/t/groups", {"name": "t-north"}, key="key-1")
    # when it comes back with another body or path
    refused = post(caller, url, body, key="key-1")
    # then 422, and the other request was not carried out
    assert refused.status_code == 422
    assert refused["Content-Type"] == PROBLEM
    problem = data(refused)
    assert problem["detail"] == "This Idempotency-Key was used for a different request."
    assert problem["type"] == "https://medoffice.example/problems/idempotency-key-reused"
    assert list(made().values_list("name", flat=True)) == ["t-north"]
    assert IdempotencyRecord.objects.count() == 1


def test_the_same_key_on_another_method_is_refused(caller: Client) -> None:
    post(caller, "/t/groups", {"name": "t-north"}, key="key-1")
    refused = caller.delete("/t/groups/t-north", headers={"Idempotency-Key": "key-1"})
    assert refused.status_code == 422
    assert made().count() == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "has space", "caf\u00e9", "tab\there"])
def test_a_malformed_key_is_a_400_and_nothing_happens(caller: Client, key: str) -> None:
    refused = post(caller, "/t/groups", {"name": "t-north"}, key=key)
    assert refused.status_code == 400
    assert refused["Content-Type"] == PROBLEM
    assert data(refused)["type"] == "https://medoffice.example/problems/invalid-idempotency-key"
    assert made().count() == 0
    assert IdempotencyRecord.objects.count() == 0


def test_the_longest_key_is_accepted(caller: Client) -> None:
    key = "~" + "A" * 253 + "!"
    assert post(caller, "/t/groups", {"name": "t-north"}, key=key).status_code == 201
    assert IdempotencyRecord.objects.get().key == key


def test_an_error_answer_is_stored_and_replayed(caller: Client) -> None:
    # given a request refused with 409
    Group.objects.create(name="t-north")
    first = post(caller, "/t/groups", {"name": "t-north"}, key="key-1")
    assert first.status_code == 409
    # when the obstacle is gone and the same request is retried
    made().delete()
    again = post(caller, "/t/groups", {"name": "t-north"}, key="key-1")
    # then it stays the 409 it was
    assert again.status_code == 409
    assert again.content == first.content
    assert again["Content-Type"] == PROBLEM
    assert again["Idempotent-Replayed"] == "true"
    assert made().count() == 0


def test_a_server_error_rolls_everything_back(caller: Client) -> None:
    failed = post(caller, "/t/groups-then-fail", {"name": "t-north"}, key="key-1")
    assert failed.status_code == 500
    assert made().count() == 0
    assert IdempotencyRecord.objects.count() == 0


def test_an_empty_answer_is_replayed(caller: Client) -> None:
    Group.objects.create(name="t-north")
    first = caller.delete("/t/groups/t-north", headers={"Idempotency-Key": "del"})
    Group.objects.create(name="t-north")
    again = caller.delete("/t/groups/t-north", headers={"Idempotency-Key": "del"})
    assert (first.status_code, again.status_code) == (204, 204)
    assert again["Idempotent-Replayed"] == "true"
    assert made().count() == 1


def test_keys_belong_to_one_user(caller: Client) -> None:
    other = bearer(make_user("other"))
    post(caller, "/t/groups", {"name": "t-north"}, key="shared")
    mine = post(other, "/t/groups", {"name": "t-south"}, key="shared")
    assert mine.status_code == 201
    assert "Idempotent-Replayed" not in mine
    assert made().count() == 2


def test_an_unauthenticated_request_stores_nothing(db: None) -> None:
    refused = post(Client(), "/t/groups", {"name": "t-north"}, key="key-1")
    assert refused.status_code == 401
    assert IdempotencyRecord.objects.count() == 0


def test_a_row_without_an_answer_is_a_409(caller: Client) -> None:
    # only possible if a row was written by hand: the module stores rows with their answer
    user = User.objects.get(username="caller")
    post(caller, "/t/groups", {"name": "t-north"}, key="key-1")
    IdempotencyRecord.objects.filter(user=user).update(status_code=None)
    answer = post(caller, "/t/groups", {"name": "t-north"}, key="key-1")
    assert answer.status_code == 409
    assert data(answer)["type"] == "https://medoffice.example/problems/idempotency-key-in-progress"


def test_the_header_is_in_the_openapi_document() -> None:
    schema = test_api.get_openapi_schema(path_prefix="")
    parameters = schema["paths"]["/groups"]["post"]["parameters"]
    header = next(p for p in parameters if p["in"] == "header")
    assert header["name"] == "Idempotency-Key"
    assert header["required"] is False


def test_purge_deletes_answers_older_than_a_day(caller: Client) -> None:
    # given one answer 25 hours old and one an hour old
    post(caller, "/t/groups", {"name": "t-old"}, key="t-old")
    post(caller, "/t/groups", {"name": "t-new"}, key="t-new")
    now = timezone.now()
    IdempotencyRecord.objects.filter(key="t-old").update(created_at=now - dt.timedelta(hours=25))
    IdempotencyRecord.objects.filter(key="t-new").update(created_at=now - dt.timedelta(hours=1))
    # when
    deleted = purge_expired(now=now)
    # then
    assert deleted == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["t-new"]


def test_purge_command_reports_the_count(caller: Client) -> None:
    post(caller, "/t/groups", {"name": "t-old"}, key="t-old")
    IdempotencyRecord.objects.update(created_at=timezone.now() - dt.timedelta(days=2))
    out = StringIO()
    call_command("idempotency", "purge", stdout=out)
    assert out.getvalue().strip() == "Purged 1 idempotency record(s) older than 24 hours."
    assert IdempotencyRecord.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@override_settings(ROOT_URLCONF=URLCONF)
def test_concurrent_duplicates_make_one_effect_and_the_same_answer() -> None:
    # given 20 clients of one user, each with its own token (no lock shared on a token row) and
    # its own database connection, starting together
    user = make_user("racer")
    tokens = [
        account_services.create_api_token(user=user, name=f"race {n}", acting_user=None)[1]
        for n in range(20)
    ]
    start = threading.Barrier(20)

    def attempt(n: int) -> Any:
        try:
            client = Client(headers={"Authorization": f"Bearer {tokens[n]}"})
            start.wait(timeout=30)
            return post(client, "/t/groups", {"name": "t-north"}, key="same-key")
        finally:
            connection.close()

    # when they all send the same request with the same key
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(attempt, range(20)))
    # then one group exists and every caller got its creation answer
    group = made().get()
    assert [a.status_code for a in answers] == [201] * 20
    assert len({a.content for a in answers}) == 1
    assert data(answers[0]) == {"id": group.pk, "name": "t-north"}
    assert sum(a.get("Idempotent-Replayed") == "true" for a in answers) == 19
    assert IdempotencyRecord.objects.count() == 1
