"""Cash drawers, refunds and day close pages (see views/drawers.py, refunds.py, days.py)."""

from medoffice.billing.views import days, drawers, refunds

urlpatterns = [*drawers.urlpatterns, *refunds.urlpatterns, *days.urlpatterns]
