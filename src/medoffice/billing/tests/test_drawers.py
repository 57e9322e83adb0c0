"""Given a drawer opened with a float, when it is counted by denomination, then the count,
what was expected and what is over or short are stored exactly; differences need a reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medoffice.billing.choices import DrawerStatus
from medoffice.billing.errors import DrawerError
from medoffice.billing.models import CashDrawer
from medoffice.billing.rules import drawer_count
from medoffice.billing.services.drawers import count_drawer, drawer_expectation, open_drawer
from medoffice.billing.services.payments import post_payment
from medoffice.billing.tests.factories import Office, card, cash, check

# ---- the arithmetic, without a database ---------------------------------------------------------


def test_cash_of_a_count_is_exact() -> None:
    counts = drawer_count.clean_counts({"20": "3", "5": 1, "0.25": "4", "0.01": "7", "1c": ""})
    assert counts == {"20": 3, "5": 1, "0.25": 4, "0.01": 7}
    assert drawer_count.cash_of(counts) == Decimal("66.07")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"3": 1}, "not a denomination"),
        ({"20": -1}, "can't be negative"),
        ({"20": "-2"}, "can't be negative"),
        ({"20": "1.5"}, "whole number"),
        ({"20": True}, "whole number"),
        ({"20": 100_001}, "more than a drawer holds"),
    ],
)
def test_unknown_denominations_and_bad_counts_are_refused(raw: dict, message: str) -> None:
    with pytest.raises(DrawerError, match=message):
        drawer_count.clean_counts(raw)


@given(st.dictionaries(st.sampled_from(list(drawer_count.VALUES)), st.integers(0, 5000)))
def test_cash_of_is_the_sum_of_pieces_times_values(counts: dict[str, int]) -> None:
    expected = sum((drawer_count.VALUES[k] * n for k, n in counts.items()), Decimal("0"))
    assert drawer_count.cash_of(counts) == expected
    assert drawer_count.cash_of(counts).as_tuple().exponent == -2


@given(
    st.dictionaries(st.sampled_from(list(drawer_count.VALUES)), st.integers(0, 200)),
    st.integers(0, 50_000),
)
def test_keeping_the_floats_never_invents_money(counts: dict[str, int], float_cents: int) -> None:
    floats = Decimal(float_cents) / 100
    deposit, exact = drawer_count.keep_floats(counts, floats)
    assert all(0 < n <= counts[k] for k, n in deposit.items())
    kept = drawer_count.cash_of(counts) - drawer_count.cash_of(deposit)
    assert kept <= floats
    assert exact == (kept == floats)


def test_reconcile_and_describe() -> None:
    result = drawer_count.reconcile(
        {"20": 4},
        checks_total=Decimal("55.00"),
        check_count=2,
        expected_cash=Decimal("85.00"),
        expected_checks=Decimal("35.00"),
        expected_check_count=1,
    )
    assert (result.cash_over_short, result.checks_over_short) == (
        Decimal("-5.00"),
        Decimal("20.00"),
    )
    assert drawer_count.describe(result) == (
        "cash short $5.00, checks over $20.00, 1 check more than posted"
    )
    assert not result.balanced


# ---- the service -----------------------------------------------------------------------------


def _day_of_takings(office: Office) -> CashDrawer:
    drawer = open_drawer(acting_user=office.desk, opening_float="100.00")
    post_payment(office.patient, acting_user=office.desk, tenders=[cash("25.00", "40.00")])
    post_payment(office.patient, acting_user=office.desk, tenders=[check("60.00", "881")])
    post_payment(office.patient, acting_user=office.desk, tenders=[card("30.00")])
    return drawer


def test_expectation_nets_change_and_keeps_cards_apart(office: Office) -> None:
    drawer = _day_of_takings(office)
    expected = drawer_expectation(drawer)
    assert expected.cash_taken == Decimal("25.00")
    assert expected.expected_cash == Decimal("125.00")
    assert (expected.checks_total, expected.check_count) == (Decimal("60.00"), 1)
    assert expected.card_total == Decimal("30.00")
    assert expected.by_method == {
        "cash": Decimal("25.00"), "check": Decimal("60.00"), "card": Decimal("30.00"),
        "hsa": Decimal("0.00"),
    }  # fmt: skip


def test_a_balanced_count_is_stored(office: Office) -> None:
    drawer = _day_of_takings(office)
    counted = count_drawer(
        drawer, acting_user=office.desk, denominations={"100": 1, "20": 1, "5": 1},
        checks_total="60.00", check_count=1,
    )  # fmt: skip
    counted.refresh_from_db()
    assert counted.status == DrawerStatus.COUNTED
    assert (counted.counted_cash, counted.expected_cash) == (Decimal("125.00"), Decimal("125.00"))
    assert (counted.cash_over_short, counted.checks_over_short) == (
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert counted.denominations == {"100": 1, "20": 1, "5": 1}
    assert counted.discrepancy_reason == ""


def test_a_shortage_without_a_reason_is_refused_and_nothing_is_saved(office: Office) -> None:
    drawer = _day_of_takings(office)
    with pytest.raises(DrawerError, match=r"cash short \$5.00.*say why"):
        count_drawer(drawer, acting_user=office.desk, denominations={"100": 1, "20": 1},
                     checks_total="60.00", check_count=1)  # fmt: skip
    drawer.refresh_from_db()
    assert drawer.status == DrawerStatus.OPEN
    assert drawer.counted_cash is None
    counted = count_drawer(drawer, acting_user=office.desk, denominations={"100": 1, "20": 1},
                           checks_total="60.00", check_count=1,
                           reason="Gave $5 too much change")  # fmt: skip
    assert counted.cash_over_short == Decimal("-5.00")
    assert counted.discrepancy_reason == "Gave $5 too much change"


def test_recount_until_the_day_closes_and_only_by_owner_or_manager(office: Office) -> None:
    from medoffice.accounts.choices import Role
    from medoffice.accounts.tests.factories import make_user

    drawer = _day_of_takings(office)
    other = make_user("sam", roles=(Role.FRONT_DESK,))
    with pytest.raises(DrawerError, match="own user or a manager"):
        count_drawer(drawer, acting_user=other, denominations={}, checks_total="0",
                     check_count=0, reason="x")  # fmt: skip
    count_drawer(drawer, acting_user=office.desk, denominations={"100": 1}, checks_total="60",
                 check_count=1, reason="Counting in a hurry")  # fmt: skip
    recounted = count_drawer(drawer, acting_user=office.manager,
                             denominations={"100": 1, "20": 1, "5": 1}, checks_total="60.00",
                             check_count=1)  # fmt: skip
    assert recounted.cash_over_short == Decimal("0.00")
    assert recounted.discrepancy_reason == ""


def test_a_counted_drawer_takes_no_more_cash(office: Office) -> None:
    drawer = open_drawer(acting_user=office.desk, opening_float="50.00")
    count_drawer(drawer, acting_user=office.desk, denominations={"50": 1}, checks_total="0",
                 check_count=0)  # fmt: skip
    with pytest.raises(DrawerError):
        post_payment(office.patient, acting_user=office.desk, tenders=[cash("5.00")])


def test_a_count_with_a_bad_key_saves_nothing(office: Office) -> None:
    drawer = open_drawer(acting_user=office.desk, opening_float="50.00")
    with pytest.raises(DrawerError, match="not a denomination"):
        count_drawer(drawer, acting_user=office.desk, denominations={"7": 1}, checks_total="0",
                     check_count=0)  # fmt: skip
    drawer.refresh_from_db()
    assert drawer.status == DrawerStatus.OPEN


def test_count_for_makes_an_amount_exactly_largest_first() -> None:
    from medoffice.billing.rules.drawer_count import cash_of, count_for

    assert count_for(Decimal("137.41")) == {
        "100": 1, "20": 1, "10": 1, "5": 1, "1": 2, "0.25": 1, "0.10": 1, "0.05": 1, "0.01": 1
    }  # fmt: skip
    assert cash_of(count_for(Decimal("0.99"))) == Decimal("0.99")
