"""Which questions show and which answers are missing: used by the filling page and by the
service that accepts a submission, so the browser and the server agree."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

Answer = str | list[str] | bool | None


@dataclass(frozen=True)
class QuestionRule:
    key: str
    label: str
    kind: str
    required: bool = False
    options: tuple[str, ...] = ()
    show_if_key: str = ""
    show_if_value: str = ""
    children: tuple[str, ...] = field(default=())


def _as_text(answer: Answer) -> list[str]:
    if answer is None:
        return []
    if isinstance(answer, bool):
        return ["yes" if answer else "no"]
    if isinstance(answer, list):
        return [str(a) for a in answer]
    return [answer]


def matches(answer: Answer, expected: str) -> bool:
    """A condition "equals Y" holds when the answer is Y or, for multiple choice, includes Y
    (compared without case and surrounding spaces)."""
    wanted = expected.strip().casefold()
    return any(text.strip().casefold() == wanted for text in _as_text(answer))


def visible(questions: Sequence[QuestionRule], answers: Mapping[str, Answer]) -> list[str]:
    """Keys of the questions shown, in order; a question whose condition's question is hidden
    is hidden too."""
    shown: list[str] = []
    for question in questions:
        if not question.show_if_key or (
            question.show_if_key in shown
            and matches(answers.get(question.show_if_key), question.show_if_value)
        ):
            shown.append(question.key)
    return shown


def is_blank(answer: Answer) -> bool:
    if answer is None or answer is False:
        return True
    if isinstance(answer, str):
        return not answer.strip()
    if isinstance(answer, list):
        return not any(str(a).strip() for a in answer)
    return False


def missing(questions: Sequence[QuestionRule], answers: Mapping[str, Answer]) -> list[str]:
    """Keys of required, visible questions left blank (signatures are checked separately)."""
    shown = set(visible(questions, answers))
    return [
        q.key
        for q in questions
        if q.required and q.key in shown and q.kind != "signature" and is_blank(answers.get(q.key))
    ]
