"""The form builder's writes: templates, drafts, questions, publishing.

Only a draft version is edited; publishing it retires the version before, whose submissions
stay tied to it. Each write is audited (no PHI here: these are the office's own forms).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from medoffice.audit.choices import AuditAction
from medoffice.audit.services import record
from medoffice.intake import choices as c
from medoffice.intake.models import FormTemplate, FormVersion, Question

TEMPLATE_FIELDS = (
    "name",
    "description",
    "is_active",
    "for_new_patients",
    "renewal",
    "renew_after_months",
    "position",
)
QUESTION_FIELDS = (
    "key",
    "label",
    "help_text",
    "kind",
    "required",
    "options",
    "show_if_key",
    "show_if_value",
    "maps_to",
)


def _check_template(template: FormTemplate) -> None:
    if template.renewal == c.Renewal.NONE:
        template.renew_after_months = None
    elif not template.renew_after_months:
        raise ValidationError({"renew_after_months": "Give the months after which it renews."})
    template.full_clean(validate_constraints=False)


@transaction.atomic
def create_template(*, acting_user: Any, code: str, **values: Any) -> FormTemplate:
    """A new template with an empty draft (version 1)."""
    template = FormTemplate(code=code, **{k: v for k, v in values.items() if k in TEMPLATE_FIELDS})
    _check_template(template)
    template.save()
    FormVersion.objects.create(template=template, number=1)
    record(AuditAction.CREATE, actor=acting_user, target=template, fields=["code", *values])
    return template


@transaction.atomic
def update_template(template: FormTemplate, *, acting_user: Any, **values: Any) -> FormTemplate:
    template = FormTemplate.objects.select_for_update().get(pk=template.pk)
    changed = [f for f in TEMPLATE_FIELDS if f in values and getattr(template, f) != values[f]]
    for field in changed:
        setattr(template, field, values[field])
    _check_template(template)
    if changed:
        template.save()
        record(AuditAction.UPDATE, actor=acting_user, target=template, fields=changed)
    return template


def draft_of(template: FormTemplate) -> FormVersion | None:
    return template.versions.filter(status=c.VersionStatus.DRAFT).first()


@transaction.atomic
def start_draft(template: FormTemplate, *, acting_user: Any) -> FormVersion:
    """The template's draft, made from the published version when there is none yet."""
    template = FormTemplate.objects.select_for_update().get(pk=template.pk)
    existing = draft_of(template)
    if existing is not None:
        return existing
    latest = template.versions.order_by("-number").first()
    number = (template.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = FormVersion.objects.create(
        template=template, number=number, intro=latest.intro if latest else ""
    )
    if latest is not None:
        Question.objects.bulk_create(
            Question(
                version=draft, position=q.position, **{f: getattr(q, f) for f in QUESTION_FIELDS}
            )
            for q in latest.questions.all()
        )
    record(AuditAction.CREATE, actor=acting_user, target=draft, detail={"number": number})
    return draft


def _editable(version: FormVersion) -> FormVersion:
    version = FormVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != c.VersionStatus.DRAFT:
        raise ValidationError("Only a draft can be changed; start a new draft first.")
    return version


def _check_question(version: FormVersion, question: Question) -> None:
    others = [q for q in version.questions.all() if q.pk != question.pk]
    errors: dict[str, str] = {}
    if any(q.key == question.key for q in others):
        errors["key"] = "Another question of this form has that name."
    old_key = next((q.key for q in version.questions.all() if q.pk == question.pk), None)
    if old_key and old_key != question.key and any(q.show_if_key == old_key for q in others):
        errors["key"] = "Another question shows only after this one: keep its name."
    if question.kind in c.CHOICE_KINDS and len(question.options) < 2:
        errors["options"] = "Give at least two choices, one per line."
    if question.kind not in c.CHOICE_KINDS:
        question.options = []
    if question.kind == c.QuestionKind.SIGNATURE and any(
        q.kind == c.QuestionKind.SIGNATURE for q in others
    ):
        errors["kind"] = "A form has one signature."
    if question.show_if_key:
        earlier = {q.key for q in others if q.position < question.position or question.pk is None}
        if question.show_if_key not in earlier:
            errors["show_if_key"] = "Choose a question that comes before this one."
        elif not question.show_if_value.strip():
            errors["show_if_value"] = "Give the answer that shows this question."
    else:
        question.show_if_value = ""
    if errors:
        raise ValidationError(errors)
    question.full_clean(exclude=["version"], validate_constraints=False)


@transaction.atomic
def save_question(
    version: FormVersion, *, acting_user: Any, question: Question | None = None, **values: Any
) -> Question:
    """Add a question at the end of a draft, or change one of its questions."""
    version = _editable(version)
    if question is None:
        last = version.questions.aggregate(n=Max("position"))["n"] or 0
        question = Question(version=version, position=last + 1)
    elif question.version_id != version.pk:
        raise ValidationError("That question belongs to another version.")
    for field in QUESTION_FIELDS:
        if field in values:
            setattr(question, field, values[field])
    _check_question(version, question)
    created = question.pk is None
    question.save()
    record(
        AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=acting_user,
        target=question,
        fields=[f for f in QUESTION_FIELDS if f in values],
    )
    return question


def _check_order(ordered: list[Question]) -> None:
    seen: set[str] = set()
    for question in ordered:
        if question.show_if_key and question.show_if_key not in seen:
            raise ValidationError(
                f"“{question.label}” shows only after “{question.show_if_key}”, "
                "so it must stay below it."
            )
        seen.add(question.key)


@transaction.atomic
def move_question(question: Question, *, acting_user: Any, up: bool) -> None:
    version = _editable(question.version)
    ordered = list(version.questions.order_by("position", "pk"))
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    _check_order(ordered)
    for position, item in enumerate(ordered, start=1):
        item.position = position
    Question.objects.bulk_update(ordered, ["position"])
    record(AuditAction.UPDATE, actor=acting_user, target=question, fields=["position"])


@transaction.atomic
def delete_question(question: Question, *, acting_user: Any) -> None:
    version = _editable(question.version)
    if version.questions.filter(show_if_key=question.key).exists():
        raise ValidationError("Another question shows only after this one; change it first.")
    record(AuditAction.DELETE, actor=acting_user, target=question, fields=["key"])
    question.delete()


@transaction.atomic
def update_intro(version: FormVersion, *, acting_user: Any, intro: str) -> FormVersion:
    version = _editable(version)
    if version.intro != intro:
        version.intro = intro
        version.save(update_fields=["intro"])
        record(AuditAction.UPDATE, actor=acting_user, target=version, fields=["intro"])
    return version


@transaction.atomic
def publish(version: FormVersion, *, acting_user: Any) -> FormVersion:
    """The draft becomes the version patients fill; the one before is retired."""
    version = _editable(version)
    if not version.questions.exclude(kind=c.QuestionKind.SIGNATURE).exists():
        raise ValidationError("Add at least one question before publishing.")
    FormVersion.objects.filter(
        template_id=version.template_id, status=c.VersionStatus.PUBLISHED
    ).update(status=c.VersionStatus.RETIRED)
    version.status = c.VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    version.save(update_fields=["status", "published_at", "published_by"])
    record(AuditAction.UPDATE, actor=acting_user, target=version, fields=["status"])
    return version
