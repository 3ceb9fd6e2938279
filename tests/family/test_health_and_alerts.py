"""Family reads of health data land in the elder's access log; abnormal vitals alert the family members
holding 接收告警; a family member never sees an unbound elder's objects."""

from health.models import VitalAccessLog
from health.services.vitals import episode_track
from linli.family.selectors import alert_recipients
from linli.notifications.models import Notification
from tests.family.factories import bind
from tests.health import factories as health


def test_a_family_read_appears_in_the_elders_access_log(as_user, elder, son):
    health.make_reading(elder, "heart_rate")
    health.make_reading(elder, "blood_pressure")
    bind(elder, son, view_health=True)
    rows = as_user(son).get(f"/api/v1/health/vitals/?on_behalf_of={elder.pk}").json()["results"]
    assert len(rows) == 2
    as_user(son).get(f"/api/v1/health/records/fhir/?on_behalf_of={elder.pk}")
    log = as_user(elder).get("/api/v1/health/records/access-log/").json()["results"]
    assert [(r["viewer"]["id"], r["purpose"], r["records"]) for r in log] == [
        (son.pk, "family_record", 2),
        (son.pk, "family", 2),
    ]


def test_trends_read_by_family_are_logged_too(as_user, elder, son):
    health.make_reading(elder, "heart_rate")
    bind(elder, son, view_health=True)
    response = as_user(son).get(f"/api/v1/health/vitals/trends/?on_behalf_of={elder.pk}")
    assert response.status_code == 200 and response.json()[0]["type"] == "heart_rate"
    assert VitalAccessLog.objects.filter(resident=elder, viewer=son, records=1).exists()


def test_the_elders_own_reads_are_not_logged(as_user, elder, son):
    health.make_reading(elder)
    bind(elder, son)
    as_user(elder).get("/api/v1/health/vitals/")
    assert not VitalAccessLog.objects.exists()


def test_abnormal_vitals_alert_family_with_receive_alerts_only(elder, son, stranger):
    bind(elder, son, receive_alerts=True)
    bind(elder, stranger, receive_alerts=False)
    assert list(alert_recipients(elder)) == [son]
    reading = health.make_reading(elder, "blood_pressure", systolic=165, diastolic=100, interpretation="H")
    episode_track(reading=reading)
    alerts = Notification.objects.filter(kind="health.vitals.abnormal")
    assert set(alerts.values_list("recipient_id", flat=True)) == {elder.pk, son.pk}
    assert "王奶奶" in alerts.get(recipient=son).body


def test_an_ended_binding_stops_alerts(elder, son):
    binding = bind(elder, son)
    from linli.family.services import family_binding_end

    family_binding_end(binding=binding, by=elder)
    assert not alert_recipients(elder).exists()


def test_a_family_member_never_sees_an_unbound_elders_objects(as_user, community, elder, son):
    appointment_slot = health.make_slot(health.make_department(health.make_clinic(community)))
    from health.services.appointments import appointment_book

    appointment = appointment_book(resident=elder, slot=appointment_slot)
    health.make_reading(elder)
    client = as_user(son)
    assert client.get(f"/api/v1/health/appointments/{appointment.pk}/").status_code == 404
    assert client.get(f"/api/v1/health/appointments/{appointment.pk}/?on_behalf_of={elder.pk}").status_code == 403
    assert client.get("/api/v1/health/vitals/").json()["count"] == 0
    # Bound, the same detail is visible with the parameter (and still 404 without it).
    bind(elder, son)
    assert client.get(f"/api/v1/health/appointments/{appointment.pk}/?on_behalf_of={elder.pk}").status_code == 200
    assert client.get(f"/api/v1/health/appointments/{appointment.pk}/").status_code == 404
