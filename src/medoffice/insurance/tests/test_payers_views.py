"""Payer, plan and clearinghouse pages: the desk looks payers up, managers keep them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from medoffice.audit.testing import (  # noqa: F401 (fixtures)
    _audit_checkpoint_in_tmp,
    _audit_flush_allowed,
)
from medoffice.core.navigation import navigation_for
from medoffice.insurance.models import Clearinghouse, InsurancePlan, Payer
from medoffice.insurance.tests.factories import make_clearinghouse, make_payer, make_plan
from medoffice.insurance.tests.factories_more import desk_user, manager_user, signed_in

pytestmark = pytest.mark.django_db


def _payer_form(**overrides):
    data = {
        "name": "Beacon Health",
        "payer_id": "BCN01",
        "address_line1": "1 Main St",
        "city": "Springfield",
        "state": "IL",
        "zip_code": "62701",
        "phone": "555 201 7788",
        "checks_eligibility": "on",
        "member_id_pattern": "",
        "active": "on",
    }
    data.update(overrides)
    return data


def test_the_desk_finds_payers_and_sees_a_payer_page_but_cannot_edit(client):
    # given
    acme = make_payer(
        "Acme Health",
        "ACME1",
        phone="+15552017788",
        accepts_278=True,
        member_id_pattern=r"ACM\d{9}",
    )
    make_plan(acme, "Gold HMO", "hmo", requires_referral=True)
    make_payer("Beacon Health", "BCN01")
    desk = signed_in(client, desk_user())
    # when
    listed = desk.get("/insurance/payers/?q=acme").content.decode()
    by_id = desk.get("/insurance/payers/?q=bcn01").content.decode()
    page = desk.get(f"/insurance/payers/{acme.pk}/").content.decode()
    # then
    assert "Acme Health" in listed
    assert "Beacon Health" not in listed
    assert "Beacon Health" in by_id
    for text in (
        "Gold HMO",
        "HMO",
        "Required",
        "(555) 201-7788",
        r"ACM\d{9}",
        "Prior authorizations by X12 278",
    ):
        assert text in page, text
    assert "Edit payer" not in page
    assert "Add plan" not in page
    refused = [
        desk.get("/insurance/payers/add/"),
        desk.post("/insurance/payers/add/", _payer_form()),
        desk.post(f"/insurance/payers/{acme.pk}/edit/", _payer_form(name="Renamed")),
        desk.post(f"/insurance/payers/{acme.pk}/plans/add/", {"name": "X", "plan_type": "ppo"}),
        desk.get("/insurance/clearinghouses/"),
    ]
    assert [r.status_code for r in refused] == [403] * 5
    assert Payer.objects.count() == 2
    assert Payer.objects.get(pk=acme.pk).name == "Acme Health"


def test_an_htmx_search_answers_only_the_rows(client):
    make_payer("Acme Health", "ACME1")
    desk = signed_in(client, desk_user())
    response = desk.get("/insurance/payers/?q=acme", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<table class="table" id="payer-table">')
    assert "<html" not in body


def test_the_payer_list_query_count_does_not_grow(client):
    desk = signed_in(client, desk_user())
    house = make_clearinghouse()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            desk.get("/insurance/payers/")
        return len(queries)

    make_plan(make_payer("A", "A1", clearinghouse=house))
    count()
    first = count()
    for n in range(5):
        make_plan(make_payer(f"P{n}", f"P{n}", clearinghouse=house))
    assert count() == first


def test_a_manager_adds_and_edits_a_payer_and_its_plans(client):
    boss = signed_in(client, manager_user())
    response = boss.post("/insurance/payers/add/", _payer_form())
    payer = Payer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/insurance/payers/{payer.pk}/"
    assert payer.phone == "+15552017788"
    edit = boss.get(f"/insurance/payers/{payer.pk}/edit/").content.decode()
    assert 'value="(555) 201-7788"' in edit
    boss.post(f"/insurance/payers/{payer.pk}/edit/", _payer_form(fax="555 201 7799"))
    payer.refresh_from_db()
    assert payer.fax == "+15552017799"
    boss.post(
        f"/insurance/payers/{payer.pk}/plans/add/",
        {
            "name": "Medicare Advantage Gold",
            "plan_type": "medicare_adv",
            "requires_prior_authorization": "on",
            "active": "on",
        },
    )
    plan = InsurancePlan.objects.get()
    assert (plan.plan_type, plan.requires_prior_authorization) == ("medicare_adv", True)
    boss.post(
        f"/insurance/plans/{plan.pk}/edit/",
        {"name": "MA Gold", "plan_type": "medicare_adv", "active": "on"},
    )
    plan.refresh_from_db()
    assert (plan.name, plan.requires_prior_authorization) == ("MA Gold", False)


def test_a_refused_payer_form_shows_the_message_and_saves_nothing(client):
    make_payer("Acme Health", "BCN01")
    boss = signed_in(client, manager_user())
    response = boss.post("/insurance/payers/add/", _payer_form(member_id_pattern="([", state="Z"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Another payer already uses this payer ID." in body
    assert "not a valid regular expression" in body
    assert Payer.objects.count() == 1


def test_clearinghouses_page_for_managers_keeps_the_password_when_left_blank(client):
    house = make_clearinghouse(password="kept-secret")
    boss = signed_in(client, manager_user())
    page = boss.get("/insurance/clearinghouses/")
    assert page.status_code == 200
    assert "Loopback payer simulator" in page.content.decode()
    form = boss.get(f"/insurance/clearinghouses/{house.pk}/edit/").content.decode()
    assert "kept-secret" not in form
    response = boss.post(
        f"/insurance/clearinghouses/{house.pk}/edit/",
        {
            "name": "Loopback",
            "kind": "core_http",
            "endpoint_url": "http://127.0.0.1:9/core",
            "username": "demo",
            "password": "",
            "sender_id": "MEDOFFICE",
            "receiver_id": "PAYERSIM",
            "sftp_port": "22",
            "timeout_seconds": "5",
            "retries": "1",
            "active": "on",
        },
    )
    assert response.status_code == 302
    house = Clearinghouse.objects.get()
    assert (house.name, house.password, house.retries) == ("Loopback", "kept-secret", 1)


def test_payers_is_in_the_managers_navigation_only():
    boss, desk = manager_user(), desk_user()
    assert "Payers" in [i["label"] for i in navigation_for(boss)]
    assert "Payers" not in [i["label"] for i in navigation_for(desk)]
