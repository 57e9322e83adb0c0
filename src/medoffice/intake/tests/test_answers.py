"""Reading answers from a submitted page: whatever a browser sends, an answer or a message."""

from __future__ import annotations

from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from medoffice.intake.answers import display, parse_answers
from medoffice.intake.choices import QuestionKind
from medoffice.intake.models import Question

KINDS = [k for k in QuestionKind.values if k != QuestionKind.SIGNATURE]


def _question(kind: str, required: bool = True) -> Question:
    options = ["Never", "Former", "Current"] if kind.endswith("choice") else []
    return Question(key="q1", label="Question", kind=kind, required=required, options=options)


@settings(max_examples=60, deadline=None)
@given(kind=st.sampled_from(KINDS), sent=st.lists(st.text(max_size=40), max_size=3))
def test_any_input_gives_an_answer_or_a_message(kind, sent):
    data = QueryDict(mutable=True)
    data.setlist("q-q1", sent)
    answers, errors = parse_answers([_question(kind)], data)
    assert set(answers) == {"q1"}
    assert set(errors) <= {"q1"}
    assert isinstance(display(answers["q1"]), str)


def test_values_are_normalized():
    data = QueryDict(mutable=True)
    data.update({"q-q1": " (555) 201-7788 "})
    assert parse_answers([_question("phone")], data) == ({"q1": "+15552017788"}, {})
    data = QueryDict(mutable=True)
    data.update({"q-q1": "Robin@Example.COM"})
    assert parse_answers([_question("email")], data) == ({"q1": "robin@example.com"}, {})
    data = QueryDict(mutable=True)
    data.setlist("q-q1", ["Current", "Never"])
    assert parse_answers([_question("multiple_choice")], data) == (
        {"q1": ["Never", "Current"]},
        {},
    )


def test_optional_blank_answers_are_kept_blank_without_messages():
    answers, errors = parse_answers([_question("date", required=False)], QueryDict())
    assert (answers, errors) == ({"q1": ""}, {})
    assert display(answers["q1"]) == "—"
