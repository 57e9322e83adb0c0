"""Patient search: one box for names, dates of birth, phones, MRNs and SSNs, fast at any size.

Every lookup is an index seek. Names are a RANGE on the byte-ordered ``PatientSearchKey.key``
(``key >= 'smith jo' AND key < 'smith jo' || RANGE_END``), never ``LIKE``: SQLite cannot use an
index for Django's ``startswith`` and psycopg's generic plans scan with it. The most selective
part of the query drives (MRN > SSN > phone > date of birth > name > birth year); what else was
typed narrows that small set in Python. A search is a handful of statements: the driver, the
patients with phones prefetched and the alert flag as a subquery, and the keys when narrowing by
name. ``search_patients`` does not audit: the caller records the ids it shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from medoffice.core import crypto
from medoffice.patients import choices as c
from medoffice.patients.models import Patient, PatientAlert, PatientPhone, PatientSearchKey
from medoffice.patients.rules.names import prefix_range
from medoffice.patients.rules.query import (
    TOO_SHORT,
    PatientQuery,
    name_matches,
    parse_query,
    phonetic_phrases,
    words_match,
)

MAX_LIMIT = 100
DRIVER_CAP = 200  # identifier matches read before narrowing (a date of birth at 1M: ~30)
KEYS_PER_HIT = 3  # key rows read per hit wanted: one patient has several keys in a range
PREFIX_STEPS = 4  # word-prefix fallback: whole words visited, all leads together...
PREFIX_ROWS = 50  # ...and keys read under each

MATCH_ORDER = {"mrn": 0, "ssn": 1, "phone": 2, "dob": 3, "name": 4, "phonetic": 5, "year": 6}
STATUS_ORDER: dict[str, int] = {c.PatientStatus.ACTIVE: 0, c.PatientStatus.INACTIVE: 1}
DRIVER_LABEL = {"mrn": "MRN", "ssn": "SSN", "phone": "phone number", "dob": "date of birth"}

SOUNDS_ALIKE = "No name is spelled that way; these sound alike."
MERGED_MRN = "That MRN belongs to a record merged into this one."


@dataclass(frozen=True)
class SearchHit:
    patient: Patient  # with phones prefetched (primary first) and ``has_active_alert``
    matched: str  # "name" | "phonetic" | "dob" | "phone" | "mrn" | "ssn" | "year"

    @property
    def has_alert(self) -> bool:
        return bool(getattr(self.patient, "has_active_alert", False))

    @property
    def primary_phone(self) -> PatientPhone | None:
        phones = list(self.patient.phones.all())
        return phones[0] if phones else None


@dataclass(frozen=True)
class SearchResult:
    hits: list[SearchHit]  # best first, at most ``limit``
    kinds: tuple[str, ...]  # what the query was understood as, e.g. ("name", "year")
    message: str = ""  # "" or a plain-words hint


def search_patients(text: str, *, limit: int = 10, include_inactive: bool = True) -> SearchResult:
    """Find patients by whatever the desk typed; never raises on odd input, never merged records."""
    query = parse_query(text, today=timezone.localdate())
    kinds = query.kinds
    if query.problems:
        return SearchResult([], kinds, query.problems[0])
    if not _searchable(query):
        return SearchResult([], kinds, TOO_SHORT)
    hits, message = _Search(query, max(1, min(limit, MAX_LIMIT)), include_inactive).run()
    if not message and query.notes:
        message = query.notes[0]
    return SearchResult(hits, kinds, message)


def _searchable(query: PatientQuery) -> bool:
    if query.mrn or query.ssn or query.phone_digits or query.dates:
        return True
    if query.words:
        return len(query.phrase.replace(" ", "")) >= 2
    return query.birth_year is not None


def _status_rank(patient: Patient) -> int:
    return STATUS_ORDER.get(patient.status, 2)


class _Search:
    def __init__(self, query: PatientQuery, limit: int, include_inactive: bool) -> None:
        self.query = query
        self.limit = limit
        self.include_inactive = include_inactive

    def run(self) -> tuple[list[SearchHit], str]:
        q = self.query
        if q.mrn or q.ssn or q.phone_digits or q.dates:
            return self._by_identifier()
        if q.words:
            return self._by_name()
        return self._by_year(), ""

    # ---- statements --------------------------------------------------------------------------

    def _patients(self) -> QuerySet[Patient]:
        """Searchable patients with what a hit shows, in one statement plus the phones."""
        patients = Patient.objects.exclude(status=c.PatientStatus.MERGED)
        if not self.include_inactive:
            patients = patients.filter(status=c.PatientStatus.ACTIVE)
        open_alerts = PatientAlert.objects.filter(patient=OuterRef("pk"), resolved_at__isnull=True)
        phones = PatientPhone.objects.order_by("-is_primary", "pk")
        return patients.annotate(has_active_alert=Exists(open_alerts)).prefetch_related(
            Prefetch("phones", queryset=phones)
        )

    def _year_bounds(self) -> tuple[dt.date, dt.date] | None:
        year = self.query.birth_year
        return (dt.date(year, 1, 1), dt.date(year, 12, 31)) if year is not None else None

    def _keys(self, low: str, high: str, rows: int) -> list[tuple[int, str]]:
        """(patient id, key) in key order for ``low <= key < high``: one index range scan."""
        keys = PatientSearchKey.objects.filter(key__gte=low, key__lt=high)
        bounds = self._year_bounds()
        if bounds is not None:
            keys = keys.filter(birth_date__gte=bounds[0], birth_date__lte=bounds[1])
        if not self.include_inactive:
            keys = keys.filter(patient__status=c.PatientStatus.ACTIVE)
        ordered = keys.order_by("key", "birth_date", "patient_id")
        return list(ordered.values_list("patient_id", "key")[:rows])

    # ---- names -------------------------------------------------------------------------------

    def _by_name(self) -> tuple[list[SearchHit], str]:
        q = self.query
        low, high = prefix_range(q.phrase)
        rows = self._keys(low, high, self.limit * KEYS_PER_HIT)
        matched, message = "name", ""
        if not rows and len(q.words) > 1:
            rows = self._word_prefix_rows()
        if not rows:
            matched, message = "phonetic", SOUNDS_ALIKE
            for phrase in phonetic_phrases(q):
                rows = self._keys(*prefix_range(phrase), self.limit * KEYS_PER_HIT)
                if rows:
                    break
        ids = list(dict.fromkeys(pid for pid, _ in rows))[: self.limit]
        if not ids:
            return [], ""
        found = {p.pk: p for p in self._patients().filter(pk__in=ids).order_by()}
        patients = sorted((found[pid] for pid in ids if pid in found), key=_status_rank)
        return [SearchHit(p, matched) for p in patients], message

    def _word_prefix_rows(self) -> list[tuple[int, str]]:
        """Partial words in any order ("smi jo", "jo smi"), bounded to PREFIX_STEPS seeks.

        The longest word leads: the whole words of keys starting with it are visited in key
        order (one seek each), and under each the keys continuing with the next typed word are
        read: "smi jo" reads the "smiley jo" and "smith jo" ranges. Each last-name word and first
        name starts a key, so a lead starting none is most likely misspelled: sounds are next.
        """
        typed = list(self.query.words)
        leads = sorted(dict.fromkeys(typed), key=lambda w: (-len(w), typed.index(w)))
        found: list[tuple[int, str]] = []
        steps = PREFIX_STEPS
        for lead in leads:
            rest = list(typed)
            rest.remove(lead)
            cursor, end = prefix_range(lead)
            while steps > 0:
                steps -= 1
                first = (
                    PatientSearchKey.objects.filter(key__gte=cursor, key__lt=end)
                    .order_by("key")
                    .values_list("key", flat=True)
                    .first()
                )
                if first is None and cursor == lead:
                    return found  # no name has a word starting so: misspelled, try sounds
                if first is None:
                    break
                whole = first.split(" ", 1)[0]
                low, high = prefix_range(f"{whole} {rest[0]}")
                found += [r for r in self._keys(low, high, PREFIX_ROWS) if words_match(typed, r[1])]
                if len({pid for pid, _ in found}) >= self.limit:
                    return found
                cursor = whole + "!"  # "!" sorts right after the space ending "whole "
            if found or steps <= 0:
                return found
        return found

    # ---- identifiers -------------------------------------------------------------------------

    def _by_identifier(self) -> tuple[list[SearchHit], str]:
        q = self.query
        driver, condition = self._driver()
        candidates = list(self._patients().filter(condition)[:DRIVER_CAP])
        message = ""
        if q.mrn and not any(p.mrn == q.mrn for p in candidates):
            kept = self._kept_record_of(q.mrn)
            if kept is not None:
                candidates.insert(0, kept)
                message = MERGED_MRN
        if not candidates:
            return [], ""
        hits = [SearchHit(p, self._matched(p, driver)) for p in candidates]
        narrowed = self._narrow(hits, driver)
        if not narrowed:
            label = DRIVER_LABEL[driver]
            message = f"Nobody matches everything you typed; showing matches by {label} only."
            narrowed = [(hit, 0) for hit in hits]
        narrowed.sort(key=lambda pair: _identifier_rank(*pair))
        return [hit for hit, _ in narrowed[: self.limit]], message

    def _driver(self) -> tuple[str, Q]:
        q = self.query
        if q.mrn:
            extra = Q(birth_date__in=q.dates) if q.mrn_or_date else Q()
            return "mrn", Q(mrn=q.mrn) | extra
        if q.ssn:
            return "ssn", Q(ssn_digest=crypto.lookup_digest("ssn", q.ssn))
        if q.phone_digits:
            phones = PatientPhone.objects.filter(
                Q(digits=q.phone) if q.phone else Q(local_digits=q.local_phone)
            )
            return "phone", Q(pk__in=phones.values("patient_id"))
        return "dob", Q(birth_date__in=q.dates)

    def _matched(self, patient: Patient, driver: str) -> str:
        if driver == "mrn" and self.query.mrn_or_date and patient.mrn != self.query.mrn:
            return "dob"
        return driver

    def _kept_record_of(self, mrn: str) -> Patient | None:
        """An MRN from a card of a merged record leads to the record it was merged into."""
        target = Patient.objects.filter(mrn=mrn).values_list("merged_into_id", flat=True).first()
        for _ in range(3):  # merges may chain: A into B, later B into C
            if target is None:
                return None
            kept = self._patients().filter(pk=target).first()
            if kept is not None:
                return kept
            target = Patient.objects.filter(pk=target).values_list("merged_into", flat=True).first()
        return None

    def _narrow(self, hits: list[SearchHit], driver: str) -> list[tuple[SearchHit, int]]:
        """Keep the hits matching everything else typed, with how well the name matched."""
        checks = self._checks(driver)
        names: dict[int, list[str]] = {}
        if self.query.words:
            ids = [hit.patient.pk for hit in hits]
            for pid, key in PatientSearchKey.objects.filter(patient_id__in=ids).values_list(
                "patient_id", "key"
            ):
                names.setdefault(pid, []).append(key)
        kept: list[tuple[SearchHit, int]] = []
        for hit in hits:
            if not all(check(hit.patient) for check in checks):
                continue
            tier = 0
            if self.query.words:
                how = name_matches(self.query, names.get(hit.patient.pk, []))
                if not how:
                    continue
                tier = 0 if how == "name" else 1
            kept.append((hit, tier))
        return kept

    def _checks(self, driver: str) -> list[Callable[[Patient], bool]]:
        q = self.query
        skip = {driver, "dob"} if q.mrn_or_date else {driver}
        checks: list[Callable[[Patient], bool]] = []
        if q.ssn and "ssn" not in skip:
            digest = crypto.lookup_digest("ssn", q.ssn)
            checks.append(lambda p: p.ssn_digest == digest)
        if q.phone_digits and "phone" not in skip:
            checks.append(lambda p: _has_phone(p, q.phone, q.local_phone))
        if q.dates and "dob" not in skip:
            checks.append(lambda p: p.birth_date in q.dates)
        if q.birth_year is not None:
            checks.append(lambda p: p.birth_date.year == q.birth_year)
        return checks

    # ---- birth year alone --------------------------------------------------------------------

    def _by_year(self) -> list[SearchHit]:
        bounds = self._year_bounds()
        if bounds is None:
            return []
        patients = self._patients().filter(birth_date__gte=bounds[0], birth_date__lte=bounds[1])
        ordered = sorted(patients.order_by("birth_date", "pk")[: self.limit], key=_status_rank)
        return [SearchHit(p, "year") for p in ordered]


def _has_phone(patient: Patient, phone: str, local: str) -> bool:
    return any(
        (phone and p.digits == phone) or (local and p.local_digits == local)
        for p in patient.phones.all()
    )


def _identifier_rank(hit: SearchHit, tier: int) -> tuple[Any, ...]:
    p = hit.patient
    return (
        MATCH_ORDER[hit.matched],
        tier,
        _status_rank(p),
        p.last_name.lower(),
        p.first_name.lower(),
        p.pk,
    )


# ---- plans, for the benchmark ----------------------------------------------------------------


def explain_search(text: str) -> list[str]:
    """The database's plan lines for every statement ``search_patients(text)`` runs."""
    statements: list[tuple[str, Any]] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        search_patients(text)
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    return list(_plan_lines(prefix, statements))


def _plan_lines(prefix: str, statements: Iterable[tuple[str, Any]]) -> Iterable[str]:
    with connection.cursor() as cursor:
        for sql, params in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(prefix + sql, params)
            for row in cursor.fetchall():
                yield str(row[-1])
