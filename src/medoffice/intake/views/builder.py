"""The form builder for managers: templates, a draft's questions, publishing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from medoffice.core.permissions import staff_view
from medoffice.intake import building
from medoffice.intake.forms import QuestionForm, TemplateForm
from medoffice.intake.models import FormTemplate, FormVersion, Question

MANAGE = "intake.manage_forms"


def _errors_to_form(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, problems in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, exc.messages)


@staff_view(MANAGE)
def template_list(request: HttpRequest) -> HttpResponse:
    templates = FormTemplate.objects.prefetch_related("versions").order_by("position", "name")
    rows = []
    for template in templates:
        versions = list(template.versions.all())
        rows.append(
            {
                "template": template,
                "published": next((v for v in versions if v.status == "published"), None),
                "draft": next((v for v in versions if v.status == "draft"), None),
            }
        )
    return render(request, "intake/builder/list.html", {"rows": rows})


@staff_view(MANAGE)
def template_new(request: HttpRequest) -> HttpResponse:
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            template = building.create_template(acting_user=request.user, **values)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "Form created. Add its questions, then publish it.")
            return redirect("intake:builder_template", template_id=template.pk)
    return render(request, "intake/builder/new.html", {"form": form})


def _page(request: HttpRequest, template: FormTemplate, **extra: Any) -> HttpResponse:
    versions = list(template.versions.order_by("-number"))
    draft = next((v for v in versions if v.status == "draft"), None)
    shown = draft or next((v for v in versions if v.status == "published"), None)
    questions = list(shown.questions.all()) if shown else []
    context = {
        "template": template,
        "versions": versions,
        "draft": draft,
        "shown": shown,
        "questions": questions,
        "settings_form": extra.pop("settings_form", None) or TemplateForm(instance=template),
        "question_form": extra.pop("question_form", None)
        or QuestionForm(earlier=questions, auto_id="new-%s"),
        **extra,
    }
    return render(request, "intake/builder/template.html", context)


@staff_view(MANAGE)
def template_detail(request: HttpRequest, template_id: int) -> HttpResponse:
    template = get_object_or_404(FormTemplate, pk=template_id)
    if request.method == "POST":
        form = TemplateForm(request.POST, instance=FormTemplate.objects.get(pk=template.pk))
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k != "code"}
            try:
                building.update_template(template, acting_user=request.user, **values)
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, "Form settings saved.")
                return redirect("intake:builder_template", template_id=template.pk)
        return _page(request, template, settings_form=form)
    return _page(request, template)


@staff_view(MANAGE)
@require_POST
def draft_start(request: HttpRequest, template_id: int) -> HttpResponse:
    template = get_object_or_404(FormTemplate, pk=template_id)
    draft = building.start_draft(template, acting_user=request.user)
    messages.success(request, f"Draft version {draft.number} started from the published one.")
    return redirect("intake:builder_template", template_id=template.pk)


@staff_view(MANAGE)
@require_POST
def intro_save(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_object_or_404(FormVersion, pk=version_id)
    try:
        building.update_intro(
            version, acting_user=request.user, intro=request.POST.get("intro", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Text saved.")
    return redirect("intake:builder_template", template_id=version.template_id)


@staff_view(MANAGE)
@require_POST
def question_add(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_object_or_404(FormVersion.objects.select_related("template"), pk=version_id)
    earlier = list(version.questions.all())
    form = QuestionForm(request.POST, earlier=earlier, auto_id="new-%s")
    if form.is_valid():
        try:
            building.save_question(version, acting_user=request.user, **form.values())
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "Question added.")
            return redirect("intake:builder_template", template_id=version.template_id)
    return _page(request, version.template, question_form=form)


@staff_view(MANAGE)
def question_edit(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(
        Question.objects.select_related("version__template"), pk=question_id
    )
    version = question.version
    earlier = [q for q in version.questions.all() if q.position < question.position]
    form = QuestionForm(request.POST or None, instance=question, earlier=earlier)
    if request.method == "POST" and form.is_valid():
        try:
            building.save_question(
                version, acting_user=request.user, question=question, **form.values()
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "Question saved.")
            return redirect("intake:builder_template", template_id=version.template_id)
    context = {"form": form, "question": question, "template": version.template}
    return render(request, "intake/builder/question.html", context)


@staff_view(MANAGE)
@require_POST
def question_move(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("version"), pk=question_id)
    try:
        building.move_question(
            question, acting_user=request.user, up=request.POST.get("to") == "up"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("intake:builder_template", template_id=question.version.template_id)


@staff_view(MANAGE)
@require_POST
def question_delete(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("version"), pk=question_id)
    template_id = question.version.template_id
    try:
        building.delete_question(question, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Question removed.")
    return redirect("intake:builder_template", template_id=template_id)


@staff_view(MANAGE)
@require_POST
def version_publish(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_object_or_404(FormVersion, pk=version_id)
    try:
        building.publish(version, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"Version {version.number} published; signed forms keep the version they were "
            "signed on.",
        )
    return redirect("intake:builder_template", template_id=version.template_id)
