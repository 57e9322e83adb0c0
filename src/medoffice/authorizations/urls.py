"""Referral and prior-authorization pages, under the "authorizations" namespace
(mounted at /authorizations/)."""

from medoffice.authorizations.views import authorizations, booking, patient, referrals, worklist

app_name = "authorizations"
urlpatterns = [
    *worklist.urlpatterns,
    *patient.urlpatterns,
    *referrals.urlpatterns,
    *authorizations.urlpatterns,
    *booking.urlpatterns,
]
