"""The form builder: managers only; drafts edited, publishing keeps old submissions' version."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from medoffice.intake import building, queries
from medoffice.intake.models import FormTemplate, FormVersion, Question
from medoffice.intake.tests.factories import signed_forms
from medoffice.intake.tests.support import desk_user, manager_user, signed_in
from medoffice.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    return signed_in(client, manager_user())


def _question(**values):
    return {
        "label": "Preferred pharmacy",
        "key": "pharmacy",
        "kind": "short_text",
        "required": False,
        "help_text": "",
        "show_if_key": "",
        "show_if_value": "",
        "maps_to": "",
        "options_text": "",
        **values,
    }


def test_desk_cannot_open_the_builder(client):
    signed_in(client, desk_user())
    assert client.get(reverse("intake:builder")).status_code == 403


def test_manager_creates_a_form_adds_questions_with_a_condition_and_publishes(manager):
    # when the manager creates a form
    response = manager.post(
        reverse("intake:builder_new"),
        {
            "code": "pharmacy",
            "name": "Pharmacy preference",
            "description": "",
            "renewal": "none",
            "renew_after_months": "",
            "position": "60",
            "is_active": "on",
        },
    )
    template = FormTemplate.objects.get(code="pharmacy")
    assert response["Location"] == reverse("intake:builder_template", args=[template.pk])
    draft = FormVersion.objects.get(template=template)
    add = reverse("intake:builder_add", args=[draft.pk])
    # and adds a yes/no question, a question shown only after "yes", and a signature
    manager.post(add, _question(label="Use a mail-order pharmacy?", key="mail", kind="yes_no"))
    manager.post(add, _question(show_if_key="mail", show_if_value="yes"))
    bad = manager.post(add, _question(label="Pick", key="pick", kind="single_choice"))
    assert "Give at least two choices, one per line." in bad.content.decode()
    manager.post(add, _question(label="Signature", key="signature", kind="signature"))
    assert list(draft.questions.values_list("key", "show_if_key")) == [
        ("mail", ""),
        ("pharmacy", "mail"),
        ("signature", ""),
    ]
    # and moves the signature up and back down
    signature = draft.questions.get(key="signature")
    manager.post(reverse("intake:builder_move", args=[signature.pk]), {"to": "up"})
    assert list(draft.questions.values_list("key", flat=True)) == ["mail", "signature", "pharmacy"]
    manager.post(reverse("intake:builder_move", args=[signature.pk]), {"to": "down"})
    # then publishes it
    manager.post(reverse("intake:builder_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "published"
    assert queries.published_version("pharmacy") == draft
    page = manager.get(reverse("intake:builder")).content.decode()
    assert "Pharmacy preference" in page


def test_a_new_version_keeps_old_submissions_on_theirs(manager):
    # given a signed NPP on version 1
    patient = make_patient()
    (old,) = signed_forms(patient, ["npp-acknowledgment"])
    template = FormTemplate.objects.get(code="npp-acknowledgment")
    # when the manager starts a draft, changes the label and publishes version 2
    manager.post(reverse("intake:builder_draft", args=[template.pk]))
    draft = FormVersion.objects.get(template=template, status="draft")
    assert draft.number == 2
    question = draft.questions.get(key="acknowledged")
    manager.post(
        reverse("intake:builder_question", args=[question.pk]),
        _question(label="I received the notice.", key="acknowledged", kind="acknowledgment"),
    )
    manager.post(reverse("intake:builder_publish", args=[draft.pk]))
    # then the old submission stays on version 1, retired, and new requests get version 2
    old.refresh_from_db()
    assert old.version.number == 1
    assert FormVersion.objects.get(template=template, number=1).status == "retired"
    (new,) = signed_forms(make_patient(), ["npp-acknowledgment"])
    assert new.version.number == 2
    assert new.version.questions.get(key="acknowledged").label == "I received the notice."
    assert old.version.questions.get(key="acknowledged").label.startswith("I acknowledge")


def test_published_versions_cannot_be_edited_and_nothing_changes():
    version = queries.published_version("financial-policy")
    question = version.questions.first()
    with pytest.raises(ValidationError):
        building.save_question(version, acting_user=None, question=question, label="Changed")
    assert Question.objects.get(pk=question.pk).label == question.label


def test_a_condition_must_point_to_an_earlier_question():
    template = building.create_template(acting_user=None, code="x", name="X", renewal="none")
    draft = building.draft_of(template)
    with pytest.raises(ValidationError) as raised:
        building.save_question(
            draft,
            acting_user=None,
            key="a",
            label="A",
            kind="short_text",
            show_if_key="nope",
            show_if_value="yes",
        )
    assert "show_if_key" in raised.value.message_dict
    assert not draft.questions.exists()


def test_builder_list_query_count_does_not_grow_with_forms(manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("intake:builder")
    manager.get(url)
    with CaptureQueriesContext(connection) as few:
        manager.get(url)
    for n in range(3):
        building.create_template(acting_user=None, code=f"extra-{n}", name=f"Extra {n}")
    with CaptureQueriesContext(connection) as many:
        response = manager.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert "Extra 2" in response.content.decode()


def test_a_move_that_puts_a_condition_before_its_question_is_refused():
    template = FormTemplate.objects.get(code="medical-history")
    draft = building.start_draft(template, acting_user=None)
    takes = draft.questions.get(key="takes_medications")
    before = list(draft.questions.values_list("key", flat=True))
    with pytest.raises(ValidationError):
        building.move_question(takes, acting_user=None, up=False)
    assert list(draft.questions.values_list("key", flat=True)) == before
