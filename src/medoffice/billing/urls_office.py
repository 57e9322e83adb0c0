"""Statements, payment plans and billing reports (journal, aging)."""

from medoffice.billing.views import plans, reports, statements

urlpatterns = [*statements.urlpatterns, *plans.urlpatterns, *reports.urlpatterns]
