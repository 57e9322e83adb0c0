"""Unique synthetic phone numbers, SSNs and e-mail addresses for the demo population.

Each kind is drawn without repeats by walking an affine permutation of its number space from a
seeded start, so a seed always gives the same sequence and two people never share one by chance
(a shared phone or SSN would make them look like duplicates).

- Phone numbers are in area code 555, the range reserved for fiction, exchanges 202-999 (201
  is kept for the scripted people), and pass ``core.phones.to_e164``.
- SSNs are random issuable-format numbers (areas 100-599): synthetic, made up by this
  generator, never taken from anyone.
- E-mail addresses use the reserved example.com/.net/.org domains.
"""

from __future__ import annotations

import math
import random

from medoffice.core.identifiers import ssn_is_valid
from medoffice.demo.names import EMAIL_DOMAINS
from medoffice.patients.rules.names import fold

SCRIPTED_EXCHANGE = 201
_EXCHANGES = range(SCRIPTED_EXCHANGE + 1, 1000)
_PHONE_SPACE = len(_EXCHANGES) * 10_000
_SSN_AREAS, _SSN_GROUPS, _SSN_SERIALS = 500, 99, 9999
_SSN_SPACE = _SSN_AREAS * _SSN_GROUPS * _SSN_SERIALS
_GOLDEN = 0.6180339887


class Permutation:
    """0, 1, 2, ... mapped one-to-one onto ``range(size)`` in a scrambled, seeded order.

    i -> (i * step + start) mod size visits every number once when step and size are coprime;
    a step near size / golden ratio puts consecutive numbers far apart.
    """

    def __init__(self, size: int, rng: random.Random) -> None:
        self.size = size
        self.start = rng.randrange(size)
        self.step = int(size * _GOLDEN)
        while math.gcd(self.step, size) != 1:
            self.step += 1
        self.taken = 0

    def next(self) -> int:
        if self.taken >= self.size:
            raise OverflowError("The synthetic number space is used up.")
        value = (self.taken * self.step + self.start) % self.size
        self.taken += 1
        return value


class Identities:
    """``stream`` 0 is the demo population; other streams (people the benchmark registers on
    top of it) start far along the same permutations, so they never reuse a number."""

    STREAM_PHONES = 2_000_000
    STREAM_SSNS = 50_000_000
    STREAM_EMAILS = 10_000_000

    def __init__(self, seed: int, stream: int = 0) -> None:
        rng = random.Random(f"medoffice-demo-identities:{seed}")  # noqa: S311 - synthetic
        self._phones = Permutation(_PHONE_SPACE, rng)
        self._ssns = Permutation(_SSN_SPACE, rng)
        self._phones.taken = stream * self.STREAM_PHONES
        self._ssns.taken = stream * self.STREAM_SSNS
        self._emails = stream * self.STREAM_EMAILS

    def phone(self) -> str:
        """A new E.164 number, e.g. +15553017788."""
        value = self._phones.next()
        exchange = _EXCHANGES[value // 10_000]
        return f"+1555{exchange}{value % 10_000:04d}"

    def ssn(self) -> str:
        """A new synthetic SSN that passes the issued-SSN rules, e.g. 123-45-6789."""
        while True:
            value = self._ssns.next()
            area = 100 + value // (_SSN_GROUPS * _SSN_SERIALS)
            group = 1 + (value // _SSN_SERIALS) % _SSN_GROUPS
            serial = 1 + value % _SSN_SERIALS
            text = f"{area:03d}-{group:02d}-{serial:04d}"
            if ssn_is_valid(text):
                return text

    def email(self, first: str, last: str) -> str:
        """first.last + a running number, so no two people share one."""
        self._emails += 1
        local = f"{fold(first).replace(' ', '')}.{fold(last).replace(' ', '')}"
        return f"{local}{self._emails}@{EMAIL_DOMAINS[self._emails % len(EMAIL_DOMAINS)]}"
