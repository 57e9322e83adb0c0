"""JSON API of patient accounts, payments, drawers, day close, statements, plans and reports,
mounted at /api/billing/. Every call that moves money takes an ``Idempotency-Key``."""

from ninja import Router

from medoffice.billing import api_days, api_desk, api_office, api_payments

router = Router(tags=["billing"])
router.add_router("", api_payments.router)
router.add_router("", api_desk.router)
router.add_router("", api_days.router)
router.add_router("", api_office.router)
