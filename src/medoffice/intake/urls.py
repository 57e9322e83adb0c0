"""intake pages, under the "intake" namespace."""

from django.urls import path

from medoffice.intake.views import fill, staff

app_name = "intake"
urlpatterns = [
    path("patients/<int:patient_id>/", staff.patient_forms, name="patient_forms"),
    path("patients/<int:patient_id>/kiosk/", staff.kiosk_start, name="kiosk_start"),
    path("patients/<int:patient_id>/link/", staff.link_create, name="link_create"),
    path("requests/<int:request_id>/revoke/", staff.request_revoke, name="request_revoke"),
    path("submissions/<int:submission_id>/", staff.submission_detail, name="submission"),
    path("submissions/<int:submission_id>/pdf/", staff.submission_pdf, name="submission_pdf"),
    path("submissions/<int:submission_id>/apply/", staff.submission_apply, name="submission_apply"),
    path("kiosk/", fill.kiosk, name="kiosk"),
    path("f/<str:token>/", fill.link, name="link"),
    path("done/", fill.done, name="done"),
]
