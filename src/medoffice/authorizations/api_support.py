"""What the authorizations API handlers share: problems, id lookups, audits."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError

from medoffice.api.problems import ProblemError
from medoffice.authorizations.errors import AuthorizationRefused, SubmissionFailed

PROBLEMS = "https://medoffice.example/problems/"
REFUSED = "authorization-refused"


def invalid(errors: Iterable[tuple[str, str]]) -> ProblemError:
    found = [{"field": field, "message": message} for field, message in errors]
    return ProblemError(422, "Invalid input", "Some fields are not valid.", extra={"errors": found})


def invalid_from(exc: ValidationError) -> ProblemError:
    if hasattr(exc, "error_dict"):
        return invalid((k, m) for k, messages in exc.message_dict.items() for m in messages)
    return invalid(("", m) for m in exc.messages)


def refused(exc: AuthorizationRefused) -> ProblemError:
    if isinstance(exc, SubmissionFailed):
        return ProblemError(
            502, "Not submitted", exc.message, type_=PROBLEMS + "submission-failed",
            extra={"retry_may_help": exc.retry_may_help},
        )  # fmt: skip
    return ProblemError(409, "Refused", exc.message, type_=PROBLEMS + REFUSED)


def not_found(what: str, pk: int) -> ProblemError:
    return ProblemError(404, "Not found", f"No {what} with id {pk}.")


def _finders() -> dict[str, Any]:
    from medoffice.insurance import queries as insurance
    from medoffice.patients import queries as patients
    from medoffice.practice import queries as practice
    from medoffice.scheduling import queries as scheduling

    return {
        "patient": patients.get_patient,
        "coverage": insurance.get_coverage,
        "provider": practice.find_provider,
        "referring provider": practice.find_referring_provider,
        "appointment type": scheduling.get_appointment_type,
        "appointment": scheduling.get_appointment,
    }


def resolve(wanted: dict[str, tuple[str, int | None]]) -> dict[str, Any]:
    """{field: (kind, id)} -> {field: object}; ids given that name nothing answer 422."""
    finders = _finders()
    found: dict[str, Any] = {}
    errors = []
    for field, (kind, pk) in wanted.items():
        if pk is None:
            found[field] = None
            continue
        value = finders[kind](pk)
        if value is None:
            errors.append((f"{field}_id", f"No {kind} with id {pk}."))
        found[field] = value
    if errors:
        raise invalid(errors)
    return found
