"""seed_demo: real-looking events at 斗潭 and 白云 that a newcomer sees at once; running it twice changes nothing."""

import pytest
import time_machine

from events import demo
from events.models import Event, Registration, Venue, VenueBooking
from linli.accounts import demo as accounts_demo
from linli.accounts.models import User
from linli.regions import demo as regions_demo

pytestmark = pytest.mark.django_db


def seed_demo():
    """The seeds events builds on (places, demo accounts), then its own: isolated from other apps' demos."""
    for module in (regions_demo, accounts_demo, demo):
        module.seed(lambda message: None)


def snapshot():
    return (
        list(Venue.objects.values_list("name", "updated_at")),
        list(Event.objects.values_list("title", "starts_at", "status", "updated_at")),
        list(Registration.objects.values_list("event__title", "user__username", "status")),
        VenueBooking.objects.count(),
    )


def test_running_it_twice_changes_nothing():
    seed_demo()
    first = snapshot()
    seed_demo()
    assert snapshot() == first


def test_it_seeds_the_events_of_the_brief(as_user):
    seed_demo()
    titles = set(Event.objects.filter(status="published").values_list("title", flat=True))
    assert {"幸福学堂·插花活动：秋日花篮", "幸福学堂·老年人智能手机课", "少儿阅读时光：绘本共读"} <= titles
    flowers = Event.objects.get(title__contains="插花")
    assert (flowers.community.code, flowers.venue.name, flowers.venue.location) == (
        "doutan",
        "幸福学堂",
        "邻礼中心 2楼",
    )
    phones = Event.objects.get(title__contains="智能手机")
    assert (phones.sessions_count, phones.age_min) == (6, 60)
    assert Event.objects.get(title__contains="少儿").age_max == 12
    assert Venue.objects.filter(name__startswith="居家养老服务中心").count() == 2

    demo = User.objects.get(wechat_openid="dev-demo")
    mine = as_user(demo).get("/api/v1/events/registrations/").json()["results"]
    assert any(r["event"]["title"] == "幸福学堂·老年人智能手机课" and r["ticket"] for r in mine)
    assert as_user(demo).get("/api/v1/events/").json()["count"] >= 3

    staff = User.objects.get(username="staff_doutan")
    assert as_user(staff).get("/api/v1/staff/events/").json()["count"] == 4


@pytest.mark.parametrize(("today", "days"), [("2027-01-05 10:00 +08:00", 4), ("2026-12-06 10:00 +08:00", 21)])
def test_the_demo_keeps_its_volunteering_in_this_year(today, days):
    with time_machine.travel(today, tick=False):
        assert demo._in_this_year(21) == days
