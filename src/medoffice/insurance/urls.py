"""Insurance pages, under the "insurance" namespace (mounted at /insurance/)."""

from medoffice.insurance.views import coverages, eligibility, estimates, payers

app_name = "insurance"
urlpatterns = [
    *coverages.urlpatterns,
    *payers.urlpatterns,
    *eligibility.urlpatterns,
    *estimates.urlpatterns,
]
