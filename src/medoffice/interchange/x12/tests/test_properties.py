"""Property tests: the tokenizer round-trips any separators, writers refuse values that hold one,
and readers given damaged files either read them or raise X12Error (never another exception)."""

from __future__ import annotations

import contextlib
import dataclasses
import string

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from medoffice.interchange.x12 import (
    X12Error,
    build_270,
    build_271,
    read_270,
    read_271,
    read_278_response,
    read_999,
)
from medoffice.interchange.x12.envelope import (
    close_envelope,
    end_transaction,
    open_envelope,
    read_interchanges,
    start_transaction,
)
from medoffice.interchange.x12.segments import Separators

from .factories import ids, request, response, subscriber

SEPARATOR_CHARS = "*|^~:!\\'`>#$%&+<=?@_{}\x1c\x1d\x1e\x1f"
separators = st.lists(st.sampled_from(SEPARATOR_CHARS), min_size=4, max_size=4, unique=True).map(
    lambda c: Separators(*c)
)
VALUE_ALPHABET = string.ascii_uppercase + string.digits + " .-,/'()&#"
names = st.text(alphabet=string.ascii_uppercase + " -'", min_size=1, max_size=20).map(str.strip)


@given(seps=separators, data=st.data())
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
def test_tokenizer_round_trips_any_separators(seps: Separators, data: st.DataObject) -> None:
    alphabet = "".join(c for c in VALUE_ALPHABET if c not in seps.all())
    value = st.text(alphabet=alphabet, max_size=12)
    rows = data.draw(
        st.lists(
            st.lists(value, min_size=1, max_size=6).filter(lambda r: r[-1] != ""),
            min_size=1,
            max_size=8,
        )
    )
    w = open_envelope(ids(), "HS", "005010X279A1", seps)
    start = start_transaction(w, "270", "0001", "005010X279A1")
    for row in rows:
        w.add("ZZ", *row)
    end_transaction(w, start, "0001")
    text = close_envelope(w, ids(), 1)

    [interchange], warnings = read_interchanges(text)

    assert interchange.separators == seps
    assert warnings == []
    body = interchange.groups[0].transactions[0].segments[1:-1]
    assert body == [["ZZ", *row] for row in rows]


@given(
    seps_char=st.sampled_from("*^:~\r\n"),
    where=st.sampled_from(["last_name", "first_name", "member_id"]),
    prefix=st.text(alphabet=string.ascii_uppercase, max_size=5),
)
def test_writers_refuse_values_holding_a_separator(seps_char: str, where: str, prefix: str) -> None:
    bad = subscriber(**{where: prefix + seps_char + "X"})

    with pytest.raises(X12Error, match="separator"):
        build_270(request(subscriber=bad), ids())


@given(
    last=names,
    first=names,
    member=st.text(alphabet=string.ascii_uppercase + string.digits, min_size=1, max_size=15),
    types=st.lists(
        st.sampled_from(["30", "98", "47", "86", "UC", "MH", "AL"]),
        min_size=1,
        max_size=6,
        unique=True,
    ),
)
def test_270_round_trips_any_names(last: str, first: str, member: str, types: list[str]) -> None:
    assume(last and first)
    req = request(
        subscriber=subscriber(last_name=last, first_name=first, member_id=member),
        service_types=tuple(types),
    )

    assert read_270(build_270(req, ids())) == [req]


def _damage(text: str, data: st.DataObject) -> str:
    position = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    action = data.draw(st.sampled_from(["delete", "insert", "replace", "cut"]))
    char = data.draw(st.sampled_from("*^:~X9 \n"))
    if action == "delete":
        return text[:position] + text[position + 1 :]
    if action == "insert":
        return text[:position] + char + text[position:]
    if action == "replace":
        return text[:position] + char + text[position + 1 :]
    return text[:position]


VALID_271 = build_271(request(), response(), ids())


@given(data=st.data())
@settings(max_examples=300)
def test_damaged_271_is_read_or_refused_with_x12error(data: st.DataObject) -> None:
    damaged = _damage(VALID_271, data)

    with contextlib.suppress(X12Error):
        read_271(damaged)


@given(data=st.data())
@settings(max_examples=100)
def test_damaged_files_never_crash_other_readers(data: st.DataObject) -> None:
    damaged = _damage(VALID_271, data)
    for reader in (read_270, read_999, read_278_response):
        with contextlib.suppress(X12Error):
            reader(damaged)


def test_a_damaged_271_is_not_half_read() -> None:
    # given a 271 whose last EB lost its SE count
    text = VALID_271.replace("SE*30*", "SE*20*")

    # then nothing comes back: the whole file is refused
    with pytest.raises(X12Error) as caught:
        read_271(text)
    assert caught.value.segment_id == "SE"
    assert dataclasses.is_dataclass(read_271(VALID_271)[0])
