"""JSON API of referrals and prior authorizations, mounted at /api/authorizations/.

Handlers parse, authorize, call ``authorizations.services`` and render; answers naming patients
are audited. 404 for an unknown id, 409 with the reason when a write is refused, 422 for
invalid input, 502 when an X12 278 could not be exchanged (all RFC 9457 problem details).
"""

from ninja import Router

from medoffice.authorizations import api_authorizations, api_referrals

router = Router(tags=["authorizations"])
router.add_router("", api_referrals.router)
router.add_router("", api_authorizations.router)
