"""Patient pages: each view module lists its own routes, all under the "patients" namespace."""

from medoffice.patients.views import merges, records, search

app_name = "patients"
urlpatterns = [*search.urlpatterns, *records.urlpatterns, *merges.urlpatterns]
