"""The one NinjaAPI instance; routers of other apps are mounted when they import."""

from __future__ import annotations

import importlib
import logging
from decimal import Decimal
from typing import Any

import orjson
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.renderers import BaseRenderer

from medoffice.api.problems import register_problem_handlers
from medoffice.api.security import BearerTokenAuth, StaffSessionAuth

logger = logging.getLogger("medoffice.api")


def _money(value: Any) -> str:
    """Money leaves as a string with its exact cents ("25.00"), never as a binary float."""
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


class OrjsonRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        return orjson.dumps(data, default=_money, option=orjson.OPT_NON_STR_KEYS)


api = NinjaAPI(
    title="medoffice API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    renderer=OrjsonRenderer(),
    auth=[BearerTokenAuth(), StaffSessionAuth()],
)
register_problem_handlers(api)


def mount_router(prefix: str, dotted: str) -> bool:
    """Mount ``module.router`` at ``prefix``; skip (with a log line) if the module is not there."""
    module_name, _, attr = dotted.rpartition(".")
    try:
        module = importlib.import_module(module_name)
        router = getattr(module, attr)
    except (ImportError, AttributeError) as exc:
        logger.warning("API router %s not mounted: %s", dotted, type(exc).__name__)
        return False
    api.add_router(prefix, router)
    return True


from medoffice.api import routes_meta  # noqa: E402

api.add_router("/", routes_meta.router)
mount_router("/practice/", "medoffice.practice.api.router")
mount_router("/audit/", "medoffice.audit.api.router")
mount_router("/patients/", "medoffice.patients.api.router")
mount_router("/patient-merges/", "medoffice.patients.api_merges.router")
mount_router("/", "medoffice.scheduling.api.router")
mount_router("/intake/", "medoffice.intake.api.router")
mount_router("/insurance/", "medoffice.insurance.api.router")
mount_router("/authorizations/", "medoffice.authorizations.api.router")
mount_router("/billing/", "medoffice.billing.api.router")
mount_router("/desk/", "medoffice.frontdesk.api.router")
