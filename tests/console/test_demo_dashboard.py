"""After `seed_demo`, the console landing page has something to show in every widget, for a
community's staff and for the district, and the three communities' service indexes can be compared."""

import pytest
from django.core.management import call_command
from django.test import Client

from linli.accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def landing(username):
    # `admin` exists only in the embedded default (DEBUG); the tests run without DEBUG.
    user = User.objects.filter(username=username).first() or factories.make_user(
        username=username, is_staff=True, is_superuser=True
    )
    client = Client()
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("username", "widgets"),
    [
        ("staff_doutan", {"work_orders", "events", "market", "health", "residents", "devices"}),
        ("admin", {"work_orders", "events", "market", "health", "enforcement", "residents", "devices"}),
    ],
)
def test_every_widget_has_demo_data(seeded, username, widgets):
    response = landing(username)
    dashboard = response.context["dashboard"]

    assert {w["key"] for w in dashboard["widgets"]} == widgets
    for w in dashboard["widgets"]:
        assert any(m["value"] for m in w["metrics"]), w["key"]
        if w["trend"]:
            assert any(any(s["values"]) for s in w["trend"]["series"]), w["key"]
            assert "<svg" in w["line_svg"]
    html = response.content.decode()
    assert html.count("<svg") >= len(widgets)


def test_the_three_communities_have_comparable_indexes(seeded):
    rows = landing("admin").context["dashboard"]["service_index"]

    assert {row["community"]["name"] for row in rows} == {"斗潭社区", "白云社区", "回龙社区"}
    for row in rows:
        assert all(part["value"] is not None for part in row["components"]), row
