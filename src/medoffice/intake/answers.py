"""Reading a patient's answers from a submitted page, checking them against the questions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from medoffice.core import phones
from medoffice.intake.models import Question
from medoffice.intake.rules.conditions import Answer, QuestionRule, is_blank, visible

SHORT_MAX = 300
LONG_MAX = 4000


class MultiData(Protocol):
    def get(self, key: str, default: Any = ...) -> Any: ...
    def getlist(self, key: str) -> list[Any]: ...


def rule_of(question: Question) -> QuestionRule:
    return QuestionRule(
        key=question.key,
        label=question.label,
        kind=question.kind,
        required=question.required,
        options=tuple(question.options or ()),
        show_if_key=question.show_if_key,
        show_if_value=question.show_if_value,
    )


def field_name(question: Question) -> str:
    return f"q-{question.key}"


def _raw(question: Question, data: MultiData) -> Answer:
    name = field_name(question)
    if question.kind == "multiple_choice":
        return [str(v).strip() for v in data.getlist(name) if str(v).strip()]
    if question.kind == "acknowledgment":
        return data.get(name) in ("on", "yes", "true", "1", True)
    value = data.get(name, "")
    return str(value).strip() if value is not None else ""


def _check(question: Question, answer: Answer) -> tuple[Answer, str]:
    """The normalized answer and an error message ("" when fine); answer is not blank."""
    kind, text = question.kind, answer if isinstance(answer, str) else ""
    options = list(question.options or [])
    if kind == "short_text" and len(text) > SHORT_MAX:
        return answer, f"Keep this under {SHORT_MAX} characters."
    if kind == "long_text" and len(text) > LONG_MAX:
        return answer, f"Keep this under {LONG_MAX} characters."
    if kind == "yes_no" and text not in ("yes", "no"):
        return answer, "Choose yes or no."
    if kind == "single_choice" and text not in options:
        return answer, "Choose one of the options."
    if kind == "multiple_choice" and isinstance(answer, list):
        if any(a not in options for a in answer):
            return answer, "Choose from the options."
        return [o for o in options if o in answer], ""
    if kind == "date":
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return answer, "Enter a date like 1980-04-25."
        if day.year < 1880 or day.year > 2200:
            return answer, "Enter a real date."
        return day.isoformat(), ""
    if kind == "number":
        try:
            Decimal(text)
        except InvalidOperation:
            return answer, "Enter a number."
    if kind == "phone":
        try:
            return phones.to_e164(text), ""
        except phones.PhoneError as exc:
            return answer, str(exc)
    if kind == "email":
        try:
            validate_email(text)
        except ValidationError:
            return answer, "Enter an e-mail address like name@example.com."
        return text.lower(), ""
    return answer, ""


def parse_answers(
    questions: Sequence[Question], data: MultiData
) -> tuple[dict[str, Answer], dict[str, str]]:
    """Answers of the visible questions (signature excluded) and errors by question key."""
    asked = [q for q in questions if q.kind != "signature"]
    raw = {q.key: _raw(q, data) for q in asked}
    shown = set(visible([rule_of(q) for q in asked], raw))
    answers: dict[str, Answer] = {}
    errors: dict[str, str] = {}
    for question in asked:
        if question.key not in shown:
            continue
        answer = raw[question.key]
        if is_blank(answer):
            if question.required:
                errors[question.key] = (
                    "Please check this box to continue."
                    if question.kind == "acknowledgment"
                    else "Please answer this question."
                )
            answers[question.key] = False if question.kind == "acknowledgment" else answer
            continue
        answers[question.key], error = _check(question, answer)
        if error:
            errors[question.key] = error
    return answers, errors


def display(answer: Any) -> str:
    """An answer as a person reads it."""
    if answer is None or answer == "" or answer == []:
        return "—"
    if isinstance(answer, bool):
        return "Yes" if answer else "No"
    if isinstance(answer, list):
        return ", ".join(str(a) for a in answer)
    if answer in ("yes", "no"):
        return str(answer).capitalize()
    if isinstance(answer, str) and answer.startswith("+1") and len(answer) == 12:
        return phones.display(answer)
    return str(answer)
