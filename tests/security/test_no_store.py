"""Finding 9 (last part): authenticated API answers carried no `Cache-Control: no-store`, so a
shared proxy or the WebView's cache could keep one resident's data for the next."""

import pytest
from rest_framework.test import APIClient

from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_it_marks_a_residents_answers_no_store():
    resident = factories.make_resident()
    response = client_for(resident).get("/api/v1/me/")
    assert response.status_code == 200
    assert no_store(response)


def test_it_marks_answers_to_a_bad_token_no_store_too():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert no_store(response)


def test_it_leaves_anonymous_public_answers_cacheable():
    response = APIClient().get("/api/v1/communities/")
    assert response.status_code == 200
    assert not no_store(response)
