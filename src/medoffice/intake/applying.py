"""Staff review a signed form: answers beside the record, then apply them in one click.

Demographic answers go through ``patients.services.update_patient``; medical history answers
become the patient's reviewed history (``PatientHistory``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.core import phones
from medoffice.intake import choices as c
from medoffice.intake.answers import display
from medoffice.intake.models import PatientHistory, Submission
from medoffice.patients import services as patient_services
from medoffice.patients.choices import Relationship
from medoffice.patients.validation import CHILDREN

SCALAR_FIELDS = ("first_name", "middle_name", "last_name", "preferred_name", "birth_date", "email")
ADDRESS_FIELDS = ("line1", "line2", "city", "state", "zip_code")


@dataclass(frozen=True)
class Change:
    """One mapped answer beside the record's current value."""

    target: str
    label: str
    current: str
    proposed: str
    value: Any

    @property
    def differs(self) -> bool:
        return self.current != self.proposed

    @property
    def current_text(self) -> str:
        return self._shown(self.current)

    @property
    def proposed_text(self) -> str:
        return self._shown(self.proposed)

    def _shown(self, value: str) -> str:
        if self.target.startswith("phone.") and value:
            return phones.display(value)
        return value


def _phone(patient: Any, kind: str) -> Any:
    return next((p for p in patient.phones.all() if p.kind == kind), None)


def _home_address(patient: Any) -> Any:
    addresses = list(patient.addresses.all())
    home = [a for a in addresses if a.use == "home"]
    return (home or addresses or [None])[0]


def history_of(patient_id: int) -> PatientHistory | None:
    return PatientHistory.objects.filter(patient_id=patient_id).first()


def current_value(patient: Any, target: str, history: PatientHistory | None) -> str:
    if target in SCALAR_FIELDS:
        value = getattr(patient, target)
        return value.isoformat() if hasattr(value, "isoformat") else str(value or "")
    if target.startswith("phone."):
        phone = _phone(patient, target.split(".", 1)[1])
        return phone.number if phone else ""
    if target.startswith("address."):
        address = _home_address(patient)
        return str(getattr(address, target.split(".", 1)[1]) or "") if address else ""
    if target.startswith("emergency."):
        contact = next(iter(patient.emergency_contacts.all()), None)
        if contact is None:
            return ""
        if target == "emergency.relationship":
            return str(contact.get_relationship_display())
        return str(getattr(contact, target.split(".", 1)[1]) or "")
    section = target.split(".", 1)[1]
    return str(getattr(history, section)) if history else ""


def _relationship_value(label: str) -> str:
    by_label = {str(text).casefold(): value for value, text in Relationship.choices}
    return by_label.get(label.casefold(), Relationship.OTHER)


def _history_text(parts: list[tuple[str, Any]]) -> str:
    """Answers mapped to one history section: the answer alone when only one question was
    answered, else one line per question ("Tobacco use: Never")."""
    given = [(label, a) for label, a in parts if a not in (None, "", [], False)]
    if len(given) == 1:
        return display(given[0][1])
    return "\n".join(f"{label}: {display(answer)}" for label, answer in given)


def proposed_changes(submission: Submission, patient: Any) -> list[Change]:
    """Every mapped answer of the submission with the record's value, in question order."""
    answers = submission.answers
    history = history_of(patient.pk)
    labels = dict(c.RecordField.choices)
    grouped: dict[str, list[tuple[str, Any]]] = {}
    for question in submission.version.questions.all():
        if question.maps_to and question.key in answers:
            grouped.setdefault(question.maps_to, []).append((question.label, answers[question.key]))
    changes = []
    for target, parts in grouped.items():
        if target.startswith("history."):
            proposed: str = _history_text(parts)
            value: Any = proposed
        else:
            value = parts[-1][1]
            proposed = "" if value in (None, False) else str(value)
        current = current_value(patient, target, history)
        changes.append(Change(target, labels.get(target, target), current, proposed, value))
    return changes


def _rows(patient: Any, name: str) -> list[dict[str, Any]]:
    fields = CHILDREN[name][1]
    related = patient.phones.all() if name == "phones" else patient.addresses.all()
    return [{"id": obj.pk, **{f: getattr(obj, f) for f in fields}} for obj in related]


def _patient_values(patient: Any, changes: list[Change]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for change in changes:
        if change.target in SCALAR_FIELDS and change.proposed:
            values[change.target] = change.value
    phone_changes = [ch for ch in changes if ch.target.startswith("phone.") and ch.proposed]
    if phone_changes:
        rows = _rows(patient, "phones")
        for change in phone_changes:
            kind = change.target.split(".", 1)[1]
            row = next((r for r in rows if r["kind"] == kind), None)
            if row is None:
                rows.append({"kind": kind, "number": change.proposed, "is_primary": not rows})
            else:
                row["number"] = change.proposed
        values["phones"] = rows
    address_changes = {
        ch.target.split(".", 1)[1]: ch.proposed
        for ch in changes
        if ch.target.startswith("address.")
    }
    if any(address_changes.values()):
        rows = _rows(patient, "addresses")
        home = next((r for r in rows if r["use"] == "home"), None)
        if home is None:
            home = {"use": "home", "is_primary": not rows, **dict.fromkeys(ADDRESS_FIELDS, "")}
            rows.append(home)
        home.update(address_changes)
        home["state"] = str(home["state"]).upper()
        values["addresses"] = rows
    emergency = {
        ch.target.split(".", 1)[1]: ch.proposed
        for ch in changes
        if ch.target.startswith("emergency.") and ch.proposed
    }
    if emergency:
        values["emergency_contacts"] = _emergency_rows(patient, emergency)
    return values


def _without_partial_contact(patient: Any, changes: list[Change]) -> list[Change]:
    """Emergency contact answers apply only when they give, with the record, a name and a
    phone: a half-filled contact would be refused and hold back the other answers."""
    emergency = {
        ch.target.split(".", 1)[1]: ch.proposed
        for ch in changes
        if ch.target.startswith("emergency.") and ch.proposed
    }
    if not emergency:
        return changes
    first = _emergency_rows(patient, emergency)[0]
    if first["name"] and first["phone"]:
        return changes
    return [ch for ch in changes if not ch.target.startswith("emergency.")]


def _emergency_rows(patient: Any, given: dict[str, str]) -> list[dict[str, Any]]:
    """The contacts with the primary one changed (or a first one added)."""
    rows = [
        {"id": obj.pk, **{f: getattr(obj, f) for f in CHILDREN["emergency_contacts"][1]}}
        for obj in patient.emergency_contacts.all()
    ]
    if not rows:
        rows.append(
            {"name": "", "phone": "", "relationship": Relationship.OTHER, "is_primary": True}
        )
    first = rows[0]
    for field, text in given.items():
        first[field] = _relationship_value(text) if field == "relationship" else text
    return rows


def _apply_history(submission: Submission, changes: list[Change], acting_user: Any) -> list[str]:
    sections = {
        ch.target.split(".", 1)[1]: ch.proposed
        for ch in changes
        if ch.target.startswith("history.")
    }
    if not sections:
        return []
    history, created = PatientHistory.objects.select_for_update().get_or_create(
        patient_id=submission.patient_id, defaults={"reviewed_at": timezone.now()}
    )
    changed = [s for s, text in sections.items() if created or getattr(history, s) != text]
    for section, text in sections.items():
        setattr(history, section, text)
    history.source = submission
    history.reviewed_at = timezone.now()
    history.reviewed_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    history.save()
    record(
        AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=acting_user,
        target=history,
        patient_id=submission.patient_id,
        fields=changed,
        detail={"from_form": submission.pk},
    )
    return [f"history.{s}" for s in changed]


@transaction.atomic
def apply_submission(submission: Submission, *, acting_user: Any) -> Submission:
    """Write the mapped answers that differ from the record; mark the form applied.

    Raises django ValidationError (by field) when the record refuses a value; nothing is
    changed then."""
    submission = (
        Submission.objects.select_for_update()
        .select_related("version", "patient")
        .get(pk=submission.pk)
    )
    if submission.review_status != c.ReviewStatus.PENDING:
        return submission
    patient = submission.patient
    changes = [ch for ch in proposed_changes(submission, patient) if ch.differs]
    demographic = _without_partial_contact(
        patient, [ch for ch in changes if not ch.target.startswith("history.")]
    )
    values = _patient_values(patient, demographic)
    if values:
        patient_services.update_patient(patient, acting_user=acting_user, **values)
    applied = [ch.target for ch in demographic] + _apply_history(submission, changes, acting_user)
    submission.review_status = c.ReviewStatus.APPLIED if applied else c.ReviewStatus.REVIEWED
    submission.reviewed_at = timezone.now()
    submission.reviewed_by = (
        acting_user if getattr(acting_user, "is_authenticated", False) else None
    )
    submission.applied_fields = applied
    submission.save(update_fields=["review_status", "reviewed_at", "reviewed_by", "applied_fields"])
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        target=submission,
        patient_id=submission.patient_id,
        fields=["review_status"],
        detail={"applied": applied},
    )
    return submission


def audit_read(submission: Submission, *, acting_user: Any, what: str) -> None:
    record(
        AuditAction.READ,
        actor=acting_user,
        target=submission,
        patient_id=submission.patient_id,
        detail={"what": what},
    )


HISTORY_LABELS = {
    "conditions": "Conditions",
    "medications": "Medications",
    "allergies": "Allergies",
    "surgeries": "Surgeries",
    "family_history": "Family history",
    "social_history": "Social history",
}


def history_rows(history: PatientHistory | None) -> list[tuple[str, str]]:
    if history is None:
        return []
    return [(label, getattr(history, field)) for field, label in HISTORY_LABELS.items()]


def answer_rows(submission: Submission) -> list[dict[str, str]]:
    answers = submission.answers
    return [
        {"key": q.key, "label": q.label, "answer": display(answers.get(q.key))}
        for q in submission.version.questions.all()
        if q.kind != "signature" and q.key in answers
    ]
