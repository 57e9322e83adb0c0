"""More for the coverage and payer tests: logins by role, a Medicare plan, card pictures, the API
client. Builds on the shared ``factories`` (which stays as it is)."""

from __future__ import annotations

import base64
import io
from typing import Any

import orjson
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from medoffice.accounts import services as account_services
from medoffice.accounts.choices import Role
from medoffice.accounts.models import User
from medoffice.accounts.tests.factories import make_user
from medoffice.insurance.choices import PlanType
from medoffice.insurance.models import InsurancePlan
from medoffice.insurance.tests.factories import make_payer, make_plan

VALID_MBI = "1EG4TE5MK73"  # the CMS example
VALID_MBI_DASHED = "1EG4-TE5-MK73"


def desk_user(username: str = "desk") -> User:
    return make_user(username, roles=(Role.FRONT_DESK,))


def clinical_user(username: str = "nurse") -> User:
    return make_user(username, roles=(Role.CLINICAL,))


def manager_user(username: str = "boss") -> User:
    return make_user(username, roles=(Role.MANAGER,))


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def medicare_plan(**fields: Any) -> InsurancePlan:
    payer = make_payer("Medicare Part B", "MCRB1")
    return make_plan(payer, "Original Medicare", PlanType.MEDICARE, **fields)


def picture_bytes(fmt: str = "PNG", size: tuple[int, int] = (320, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(out, fmt)
    return out.getvalue()


def picture_upload(name: str = "card.png", fmt: str = "PNG") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, picture_bytes(fmt), content_type=f"image/{fmt.lower()}")


def picture_data_url() -> str:
    return "data:image/jpeg;base64," + base64.b64encode(picture_bytes("JPEG")).decode()


class Api:
    """A program calling the API with a bearer token."""

    def __init__(self, user: User) -> None:
        _, raw = account_services.create_api_token(user=user, name="tests", acting_user=None)
        self.client = Client(headers={"Authorization": f"Bearer {raw}"})

    def call(self, method: str, path: str, body: Any = None) -> Any:
        send = getattr(self.client, method)
        if body is None:
            return send(path)
        return send(path, orjson.dumps(body, default=str), content_type="application/json")


def data(response: Any) -> Any:
    return orjson.loads(response.content)
