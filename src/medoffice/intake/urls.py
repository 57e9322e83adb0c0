"""intake pages, under the "intake" namespace."""

from django.urls import path

from medoffice.intake.views import builder, fill, staff

app_name = "intake"
urlpatterns = [
    path("patients/<int:patient_id>/", staff.patient_forms, name="patient_forms"),
    path("patients/<int:patient_id>/kiosk/", staff.kiosk_start, name="kiosk_start"),
    path("patients/<int:patient_id>/link/", staff.link_create, name="link_create"),
    path("requests/<int:request_id>/revoke/", staff.request_revoke, name="request_revoke"),
    path("submissions/<int:submission_id>/", staff.submission_detail, name="submission"),
    path("submissions/<int:submission_id>/pdf/", staff.submission_pdf, name="submission_pdf"),
    path("submissions/<int:submission_id>/apply/", staff.submission_apply, name="submission_apply"),
    path("forms/", builder.template_list, name="builder"),
    path("forms/new/", builder.template_new, name="builder_new"),
    path("forms/<int:template_id>/", builder.template_detail, name="builder_template"),
    path("forms/<int:template_id>/draft/", builder.draft_start, name="builder_draft"),
    path("versions/<int:version_id>/intro/", builder.intro_save, name="builder_intro"),
    path("versions/<int:version_id>/questions/", builder.question_add, name="builder_add"),
    path("versions/<int:version_id>/publish/", builder.version_publish, name="builder_publish"),
    path("questions/<int:question_id>/", builder.question_edit, name="builder_question"),
    path("questions/<int:question_id>/move/", builder.question_move, name="builder_move"),
    path("questions/<int:question_id>/delete/", builder.question_delete, name="builder_delete"),
    path("kiosk/", fill.kiosk, name="kiosk"),
    path("f/<str:token>/", fill.link, name="link"),
    path("done/", fill.done, name="done"),
]
