from django.urls import path

from medoffice.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("failures/<int:failure_id>/resolve/", views.resolve, name="resolve"),
]
