from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from enforcement.models import Domain, Empowerment, ProblemReport, Team
from linli.accounts.models import Membership, User
from linli.devices.models import Device, DeviceEvent
from linli.regions.models import Community, Street

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(Street.objects.values_list("code", "name", "updated_at")),
        list(Community.objects.values_list("code", "name", "street__code", "updated_at")),
        list(User.objects.values_list("username", "password", "display_name")),
        list(Membership.objects.values_list("user__username", "role", "community__code")),
    )


def test_running_it_twice_changes_nothing():
    call_command("seed_demo", stdout=StringIO())
    first = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == first


def enforcement_world_is_true_to_the_seed():
    """Issue 20: 游海街道 empowered for 农业农村 and 自然资源 from 2023-05-25; each of the 24 domains has
    its matters and every township's list covers whole domains; the wetland's camera and sensor are
    online and their events became problem reports."""
    matters_of = {d.pk: {m.pk for m in d.matters.all()} for d in Domain.objects.prefetch_related("matters")}
    assert len(matters_of) == 24 and all(matters_of.values())
    assert set(Empowerment.objects.values_list("since", flat=True)) == {date(2023, 5, 25)}
    youhai = Empowerment.objects.filter(street__code="youhai")
    assert set(youhai.values_list("matter__domain__name", flat=True)) == {"农业农村", "自然资源"}
    by_street = {}
    for street, matter, domain in Empowerment.objects.values_list("street", "matter", "matter__domain"):
        by_street.setdefault(street, {}).setdefault(domain, set()).add(matter)
    for lists in by_street.values():  # a domain on a township's list comes with all its matters
        for domain, matters in lists.items():
            assert matters == matters_of[domain]
    assert Team.objects.get(code="team-youhai").name == "游海街道综合行政执法队"

    wetland = Device.objects.filter(code__in=["jianhu-cam-01", "jianhu-water-01"])
    assert {d.status for d in wetland} == {Device.Status.ONLINE}
    reports = ProblemReport.objects.filter(device__in=wetland)
    assert set(reports.values_list("channel", "category__code", "device__code")) == {
        ("camera", "illegal_fishing", "jianhu-cam-01"),
        ("sensor", "water_pollution", "jianhu-water-01"),
    }
    assert DeviceEvent.objects.filter(device__in=wetland).count() == 4  # one camera event below its bar


def test_it_seeds_the_places_and_accounts_of_the_design(api):
    call_command("seed_demo", stdout=StringIO())
    assert set(Community.objects.values_list("name", flat=True)) >= {"斗潭社区", "白云社区", "回龙社区"}
    assert set(Street.objects.filter(district="越城区").values_list("name", flat=True)) >= {
        "府山街道",
        "东浦街道",
        "陶堰街道",
        "孙端街道",
        "游海街道",
        "富盛镇",
    }
    assert not Street.objects.filter(name="游海乡").exists()
    enforcement_world_is_true_to_the_seed()
    for username, role, community in [
        ("staff_doutan", "community_staff", "斗潭社区"),
        ("staff_baiyun", "community_staff", "白云社区"),
        ("staff_huilong", "community_staff", "回龙社区"),
        ("property_doutan", "property_manager", "斗潭社区"),
        ("property_baiyun", "property_manager", "白云社区"),
    ]:
        response = api.post("/api/v1/auth/token/", {"username": username, "password": "demo12345"}, format="json")
        assert response.status_code == 200, username
        roles = response.json()["user"]["roles"]
        assert [(r["role"], r["community"]["name"]) for r in roles] == [(role, community)]
    demo = User.objects.get(wechat_openid="dev-demo")
    assert (demo.display_name, demo.birth_date.year) == ("张大爷", 1952)


def test_each_community_has_a_verified_resident_who_logs_in_with_a_sandbox_code(api):
    call_command("seed_demo", stdout=StringIO())
    users = before = User.objects.count()

    seen = {}
    for code in ("dev-demo", "dev-wang", "dev-li"):
        response = api.post("/api/v1/auth/wechat/login/", {"code": code}, format="json")
        assert response.status_code == 200, code
        user = response.json()["user"]
        assert user["username"] == f"wx_{code}"
        [role] = user["roles"]
        assert role["role"] == "resident"
        seen[role["community"]["name"]] = code

    assert seen == {"白云社区": "dev-demo", "斗潭社区": "dev-wang", "回龙社区": "dev-li"}
    assert User.objects.count() == users == before  # logging in found the seeded residents


def test_the_superuser_exists_only_in_the_embedded_default(settings):
    settings.DEBUG = False
    call_command("seed_demo", stdout=StringIO())
    assert not User.objects.filter(username="admin").exists()
