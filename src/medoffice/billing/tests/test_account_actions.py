"""The account page offers what the role may do next: a plan, a refund of a credit, a statement."""

from __future__ import annotations

from django.test import Client

from medoffice.billing.services.payments import post_payment
from medoffice.billing.tests.factories import Office, card


def _page(user: object, office: Office) -> str:
    client = Client()
    client.force_login(user)
    return client.get(f"/billing/account/{office.patient.pk}/").content.decode()


def test_the_manager_sees_plan_refund_and_statement_actions(office: Office) -> None:
    # given a $20 credit on account
    post_payment(office.patient, acting_user=office.desk, tenders=[card("20.00")],
                 purpose="prepayment")  # fmt: skip
    page = _page(office.manager, office)
    assert f"/billing/plans/new/?patient={office.patient.pk}" in page
    assert f"/billing/refunds/new/?patient={office.patient.pk}" in page
    assert 'action="/billing/statements/new/"' in page


def test_the_front_desk_sees_no_statement_button(office: Office) -> None:
    page = _page(office.desk, office)
    assert "/billing/plans/new/" in page
    assert "/billing/statements/new/" not in page
    assert "/billing/refunds/new/" not in page  # no credit to refund
