"""JSON API of the insurance context, mounted at /api/insurance/."""

from ninja import Router

from medoffice.insurance import api_coverages, api_eligibility, api_estimates, api_payers

router = Router(tags=["insurance"])
router.add_router("/", api_coverages.router)
router.add_router("/", api_payers.router)
router.add_router("/", api_eligibility.router)
router.add_router("/", api_estimates.router)
