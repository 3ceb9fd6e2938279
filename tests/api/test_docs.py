import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_schema_is_served_and_documents_errors(api):
    response = api.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    me = schema["paths"]["/api/v1/me/"]["get"]
    assert {"200", "401", "429"} <= set(me["responses"])
    assert me["responses"]["401"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/Error"
    login = schema["paths"]["/api/v1/auth/wechat/login/"]["post"]
    assert "requestBody" in login
    assert "403" not in login["responses"]  # public endpoint


def test_swagger_ui_loads_without_the_network(api):
    page = api.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, html
    assert not [a for a in assets if a.startswith("http")], "no CDN assets"
    for asset in assets:
        if asset.startswith("/static/"):
            assert api.get(asset).status_code == 200, asset
