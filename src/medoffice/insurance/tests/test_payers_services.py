"""Payer, plan and clearinghouse services: validation in the office's words, audit entries naming
fields (never values), and a clearinghouse password kept when the form leaves it blank."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from medoffice.audit.models import AuditEntry
from medoffice.audit.testing import (  # noqa: F401 (fixtures)
    _audit_checkpoint_in_tmp,
    _audit_flush_allowed,
)
from medoffice.insurance.models import Clearinghouse, InsurancePlan, Payer
from medoffice.insurance.services import payers as services
from medoffice.insurance.tests.factories import make_clearinghouse, make_payer, make_plan
from medoffice.insurance.tests.factories_more import manager_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss():
    return manager_user()


def test_add_payer_normalizes_phones_and_ids_and_audits_field_names(boss):
    # given
    house = make_clearinghouse()
    # when
    payer = services.add_payer(
        acting_user=boss,
        name=" Beacon Health ",
        payer_id="bcn01",
        phone="555 201 7788",
        fax="(555) 201-7799",
        state="il",
        zip_code="62701",
        clearinghouse=house,
        member_id_pattern=r"BCN\d{6}",
        accepts_278=True,
    )
    # then
    payer.refresh_from_db()
    assert (payer.name, payer.payer_id, payer.state) == ("Beacon Health", "BCN01", "IL")
    assert (payer.phone, payer.fax) == ("+15552017788", "+15552017799")
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.target_type, entry.patient_id) == (
        "create",
        "insurance.payer",
        None,
    )
    assert {"name", "payer_id", "phone", "clearinghouse", "accepts_278"} <= set(entry.fields)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"state": "XX"}, "state"),
        ({"zip_code": "1234"}, "zip_code"),
        ({"phone": "12"}, "phone"),
        ({"member_id_pattern": "(["}, "member_id_pattern"),
        ({"portal_url": "not a url"}, "portal_url"),
        ({"payer_id": "ACME1"}, "payer_id"),
    ],
)
def test_add_payer_refusals_name_the_field_and_save_nothing(boss, fields, field):
    make_payer("Acme Health", "ACME1")
    before = (Payer.objects.count(), AuditEntry.objects.count())
    values = {"name": "Beacon", **fields}
    with pytest.raises(ValidationError) as caught:
        services.add_payer(acting_user=boss, **values)
    assert field in caught.value.message_dict
    assert (Payer.objects.count(), AuditEntry.objects.count()) == before


def test_change_payer_audits_what_changed(boss):
    payer = make_payer()
    services.change_payer(payer, acting_user=boss, city="Springfield", name="Acme Health")
    payer.refresh_from_db()
    assert payer.city == "Springfield"
    assert AuditEntry.objects.order_by("-id").first().fields == ["city"]


def test_change_payer_refused_leaves_it_as_it_was(boss):
    payer = make_payer()
    with pytest.raises(ValidationError):
        services.change_payer(payer, acting_user=boss, city="Springfield", state="ZZ")
    payer.refresh_from_db()
    assert (payer.city, payer.state) == ("", "")


def test_plans_have_unique_names_per_payer(boss):
    payer = make_payer()
    plan = services.add_plan(
        payer, acting_user=boss, name="Gold HMO", plan_type="hmo", requires_referral=True
    )
    assert (plan.plan_type, plan.requires_referral) == ("hmo", True)
    with pytest.raises(ValidationError) as caught:
        services.add_plan(payer, acting_user=boss, name="gold hmo", plan_type="ppo")
    assert "already has a plan of that name" in caught.value.message_dict["name"][0]
    with pytest.raises(ValidationError):
        services.add_plan(payer, acting_user=boss, name="Odd", plan_type="nonsense")
    assert InsurancePlan.objects.count() == 1


def test_change_plan(boss):
    plan = make_plan()
    services.change_plan(plan, acting_user=boss, requires_prior_authorization=True, active=False)
    plan.refresh_from_db()
    assert (plan.requires_prior_authorization, plan.active) == (True, False)
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.fields == ["active", "requires_prior_authorization"]


def test_a_blank_password_keeps_the_clearinghouse_password(boss):
    # given
    house = make_clearinghouse(password="s3cret-original")
    # when
    services.change_clearinghouse(
        house, acting_user=boss, password="", sftp_password=None, username="demo2"
    )
    # then
    house.refresh_from_db()
    assert (house.password, house.username) == ("s3cret-original", "demo2")
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.fields == ["username"]
    services.change_clearinghouse(house, acting_user=boss, password="new-one")
    house.refresh_from_db()
    entry = AuditEntry.objects.order_by("-id").first()
    assert (house.password, entry.fields) == ("new-one", ["password"])
    assert "new-one" not in str(entry.detail)


def test_add_clearinghouse_checks_what_its_kind_needs(boss):
    with pytest.raises(ValidationError) as caught:
        services.add_clearinghouse(
            acting_user=boss, name="Drop", kind="sftp", sender_id="ME", receiver_id="THEM"
        )
    assert "sftp_host" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.add_clearinghouse(
            acting_user=boss,
            name="Web",
            kind="core_http",
            sender_id="ME",
            receiver_id="THEM",
            endpoint_url="http://example.com/core",
        )
    assert "https" in caught.value.message_dict["endpoint_url"][0]
    house = services.add_clearinghouse(
        acting_user=boss,
        name="Web",
        kind="core_http",
        sender_id="ME",
        receiver_id="THEM",
        endpoint_url="https://core.example.com/x12",
    )
    assert Clearinghouse.objects.get() == house
