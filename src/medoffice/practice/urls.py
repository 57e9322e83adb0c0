from django.urls import path

from medoffice.practice import views

app_name = "practice"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("locations/add/", views.location_add, name="location_add"),
    path("locations/<int:location_id>/", views.location_edit, name="location_edit"),
    path("providers/add/", views.provider_add, name="provider_add"),
    path("providers/<int:provider_id>/", views.provider_edit, name="provider_edit"),
]
