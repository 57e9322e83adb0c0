"""The payer and plan API: lists paginated like every list, managers write, no member IDs."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from medoffice.audit.testing import (  # noqa: F401 (fixtures)
    _audit_checkpoint_in_tmp,
    _audit_flush_allowed,
)
from medoffice.insurance.models import InsurancePlan, Payer
from medoffice.insurance.tests.factories import (
    make_clearinghouse,
    make_coverage,
    make_payer,
    make_plan,
)
from medoffice.insurance.tests.factories_more import Api, data, desk_user, manager_user

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture
def boss() -> Api:
    return Api(manager_user())


def test_list_payers_is_paginated_and_searchable(boss):
    for name, pid in (("Acme Health", "ACME1"), ("Beacon Health", "BCN01"), ("Cedar", "CDR01")):
        make_payer(name, pid)
    make_payer("Gone", "GONE1", active=False)
    page = data(boss.call("get", "/api/insurance/payers?limit=2"))
    assert (page["count"], [p["name"] for p in page["items"]]) == (
        3,
        ["Acme Health", "Beacon Health"],
    )
    assert page["next"].endswith("limit=2&offset=2")
    found = data(boss.call("get", "/api/insurance/payers?q=bcn01"))
    assert [p["payer_id"] for p in found["items"]] == ["BCN01"]
    everything = data(boss.call("get", "/api/insurance/payers?include_inactive=true"))
    assert everything["count"] == 4
    assert boss.call("get", "/api/insurance/payers?limit=500").status_code == 422


def test_post_and_patch_payer(boss):
    house = make_clearinghouse()
    created = boss.call(
        "post",
        "/api/insurance/payers",
        {
            "name": "Beacon Health",
            "payer_id": "bcn01",
            "phone": "555 201 7788",
            "clearinghouse_id": house.pk,
            "accepts_278": True,
        },
    )
    assert created.status_code == 201
    payer = Payer.objects.get()
    assert created["Location"] == f"/api/insurance/payers/{payer.pk}"
    answer = data(created)
    assert (answer["payer_id"], answer["phone"], answer["plans"]) == ("BCN01", "+15552017788", [])
    patched = boss.call("patch", f"/api/insurance/payers/{payer.pk}", {"city": "Springfield"})
    assert (patched.status_code, data(patched)["city"]) == (200, "Springfield")
    bad = boss.call("patch", f"/api/insurance/payers/{payer.pk}", {"clearinghouse_id": 999})
    assert (bad.status_code, data(bad)["errors"][0]["field"]) == (422, "clearinghouse_id")
    dup = boss.call("post", "/api/insurance/payers", {"name": "Other", "payer_id": "BCN01"})
    assert (dup.status_code, data(dup)["errors"][0]["field"]) == (422, "payer_id")
    assert Payer.objects.count() == 1
    assert boss.call("get", "/api/insurance/payers/999999").status_code == 404


def test_get_payer_lists_its_plans_and_plans_can_be_added(boss):
    payer = make_payer()
    make_plan(payer, "Choice PPO")
    added = boss.call(
        "post",
        "/api/insurance/plans",
        {
            "payer_id": payer.pk,
            "name": "Gold HMO",
            "plan_type": "hmo",
            "requires_referral": True,
        },
    )
    assert added.status_code == 201
    assert data(added)["payer_name"] == "Acme Health"
    detail = data(boss.call("get", f"/api/insurance/payers/{payer.pk}"))
    assert [p["name"] for p in detail["plans"]] == ["Choice PPO", "Gold HMO"]
    plans = data(boss.call("get", f"/api/insurance/plans?payer_id={payer.pk}&plan_type=hmo"))
    assert [(p["name"], p["plan_type_label"]) for p in plans["items"]] == [("Gold HMO", "HMO")]
    unknown = boss.call(
        "post", "/api/insurance/plans", {"payer_id": 999_999, "name": "X", "plan_type": "ppo"}
    )
    assert (unknown.status_code, data(unknown)["errors"][0]["field"]) == (422, "payer_id")
    assert InsurancePlan.objects.count() == 2


def test_the_desk_reads_payers_but_cannot_write_and_no_member_id_shows():
    payer = make_payer()
    make_coverage(plan=make_plan(payer), member_id="SECRET12345")
    desk = Api(desk_user())
    listed = desk.call("get", "/api/insurance/payers")
    assert listed.status_code == 200
    assert b"SECRET12345" not in listed.content
    assert b"SECRET12345" not in desk.call("get", f"/api/insurance/payers/{payer.pk}").content
    assert b"SECRET12345" not in desk.call("get", "/api/insurance/plans").content
    refused = desk.call("post", "/api/insurance/payers", {"name": "Nope"})
    assert (refused.status_code, refused["Content-Type"]) == (403, PROBLEM)
    assert desk.call("patch", f"/api/insurance/payers/{payer.pk}", {"name": "X"}).status_code == 403
    assert Payer.objects.get().name == "Acme Health"


def test_the_plan_list_query_count_does_not_grow(boss):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            boss.call("get", "/api/insurance/plans")
        return len(queries)

    make_plan(make_payer("A", "A1"))
    count()
    few = count()
    for n in range(5):
        make_plan(make_payer(f"P{n}", f"P{n}"))
    assert count() == few
