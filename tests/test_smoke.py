import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_requires_sign_in(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]
