"""The desk's money pages: the patient account, collecting a payment, the payment and receipt."""

from medoffice.billing.views import account, desk_collect, payments

urlpatterns = [*account.urlpatterns, *desk_collect.urlpatterns, *payments.urlpatterns]
