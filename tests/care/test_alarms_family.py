"""SOS alarms and family accounts (亲情账号): family holding 「接收告警」 are paged with the staff and see
the elder's alarms; family without it, and other residents, are not paged and get 404."""

import pytest
from django.utils import timezone

from care.models import Alarm
from linli.notifications.models import Notification
from tests import factories
from tests.care.factories_alarms import make_community_staff, make_sos_button
from tests.conftest import client_for
from tests.family.factories import bind

pytestmark = pytest.mark.django_db


def press(client, event_id="press-1"):
    body = {"event_id": event_id, "type": "sos", "occurred_at": timezone.now().isoformat(), "payload": {}}
    return client.post("/api/v1/devices/events/", body, format="json")


def paged(user) -> bool:
    return Notification.objects.filter(recipient=user, kind="care.alarm").exists()


@pytest.fixture
def family(community):
    make_community_staff(community)
    binding, device = make_sos_button(community)
    elder = binding.elder
    son = factories.make_resident(display_name="王建军")
    daughter = factories.make_resident(display_name="王丽")
    bind(elder, son)
    bind(elder, daughter, relation="女儿", receive_alerts=False)
    return elder, son, daughter, device


def test_family_with_receive_alerts_is_paged_and_family_without_it_is_not(family):
    _, son, daughter, device = family

    assert press(device).status_code == 201

    assert paged(son)
    assert not paged(daughter)


def test_family_with_receive_alerts_sees_the_elders_alarm_and_others_get_404(family):
    _, son, daughter, device = family
    press(device)
    alarm = Alarm.objects.get()

    seen = client_for(son).get("/api/v1/care/alarms/")
    assert [row["id"] for row in seen.json()["results"]] == [alarm.pk]
    assert client_for(son).get(f"/api/v1/care/alarms/{alarm.pk}/").status_code == 200
    assert client_for(daughter).get(f"/api/v1/care/alarms/{alarm.pk}/").status_code == 404
    assert client_for(daughter).get("/api/v1/care/alarms/").json()["count"] == 0


def test_family_cannot_answer_an_alarm_through_the_staff_api(family):
    _, son, _, device = family
    press(device)

    response = client_for(son).post(f"/api/v1/staff/care/alarms/{Alarm.objects.get().pk}/acknowledge/", {})

    assert response.status_code == 403
