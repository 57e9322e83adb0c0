"""Scheduling pages: each view module lists its own routes, under the "scheduling" namespace."""

from medoffice.scheduling.views import calendar, feeds, setup

app_name = "scheduling"
urlpatterns = [*calendar.urlpatterns, *setup.urlpatterns, *feeds.urlpatterns]
