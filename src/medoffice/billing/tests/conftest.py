from __future__ import annotations

import pytest

from medoffice.billing.tests.factories import Office, make_office


@pytest.fixture
def office(db: None) -> Office:
    return make_office()
