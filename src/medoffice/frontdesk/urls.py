"""frontdesk pages, under the "frontdesk" namespace (mounted at /desk/)."""

from medoffice.frontdesk.views import (
    board,
    checkout,
    patient,
    prep,
    reports,
    setup,
    today,
    visit,
)

app_name = "frontdesk"
urlpatterns = [
    *today.urlpatterns,
    *visit.urlpatterns,
    *board.urlpatterns,
    *checkout.urlpatterns,
    *prep.urlpatterns,
    *setup.urlpatterns,
    *reports.urlpatterns,
    *patient.urlpatterns,
]
