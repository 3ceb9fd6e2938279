"""seed_demo: 王奶奶 and her son log in with sandbox codes and he acts for her; 李爷爷 is a managed elder
he looks after; running it twice changes nothing."""

import pytest

from linli.accounts import demo as accounts_demo
from linli.family import demo
from linli.family.models import FamilyBinding, ManagedElder
from linli.regions import demo as regions_demo

pytestmark = pytest.mark.django_db


def seed_demo():
    """The seeds family builds on (places, demo accounts), then its own: isolated from other apps' demos."""
    for module in (regions_demo, accounts_demo, demo, demo):
        module.seed(lambda message: None)


def test_the_son_logs_in_and_acts_for_his_mother_and_the_managed_elder(api, as_user):
    seed_demo()  # twice: the second run adds nothing
    assert FamilyBinding.objects.count() == 2 and ManagedElder.objects.count() == 1

    elder = api.post("/api/v1/auth/wechat/login/", {"code": "dev-elder"}, format="json").json()["user"]
    response = api.post("/api/v1/auth/wechat/login/", {"code": "dev-family"}, format="json")
    assert response.status_code == 200
    son = response.json()["user"]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")

    bindings = api.get("/api/v1/family/bindings/").json()["results"]
    assert {(b["principal"]["display_name"], b["is_guardian"]) for b in bindings} == {
        ("王奶奶", False),
        ("李爷爷", True),
    }
    assert all(b["member"]["id"] == son["id"] and b["status"] == "accepted" for b in bindings)
    for binding in bindings:
        assert api.get(f"/api/v1/health/vitals/?on_behalf_of={binding['principal']['id']}").status_code == 200
    assert elder["id"] in {b["principal"]["id"] for b in bindings}
