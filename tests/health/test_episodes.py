"""Proactive pushes: an abnormal reading notifies the resident (and family doctor) once per episode."""

from datetime import timedelta

import pytest
from django.utils import timezone

from health.models import AbnormalEpisode
from linli.notifications.models import Notification
from tests.health import factories as health

pytestmark = pytest.mark.django_db


@pytest.fixture
def kiosk(other_community):
    return health.make_kiosk(other_community)


def _alerts(user):
    return Notification.objects.filter(recipient=user, kind__startswith="health.vitals.abnormal")


def test_it_notifies_once_per_episode_not_per_reading(as_user, resident, doctor, kiosk):
    health.sign_family_doctor(resident, doctor)
    client = as_user(resident)
    health.measure(client, kiosk, systolic_mmhg=152, diastolic_mmhg=95)
    health.measure(client, kiosk, systolic_mmhg=148, diastolic_mmhg=92)
    health.measure(client, kiosk, systolic_mmhg=139, diastolic_mmhg=91)  # diastolic alone still counts

    assert _alerts(resident).count() == 1
    assert "152/95" in _alerts(resident).get().body
    assert _alerts(doctor).count() == 1
    episode = AbnormalEpisode.objects.get()
    assert episode.abnormal_readings == 3 and episode.ended_at is None


def test_it_tells_the_family_doctor_that_but_not_what(as_user, resident, doctor, kiosk):
    health.sign_family_doctor(resident, doctor)
    health.measure(as_user(resident), kiosk, glucose_mmol_l="8.3", glucose_context="fasting")
    alert = _alerts(doctor).get()
    assert "张大爷" in alert.body
    assert "8.3" not in alert.body + alert.title


def test_it_starts_a_new_episode_after_a_normal_reading(as_user, resident, kiosk):
    client = as_user(resident)
    health.measure(client, kiosk, systolic_mmhg=150, diastolic_mmhg=90)
    health.measure(client, kiosk, systolic_mmhg=122, diastolic_mmhg=78)
    assert AbnormalEpisode.objects.get().ended_at is not None
    health.measure(client, kiosk, systolic_mmhg=156, diastolic_mmhg=98)
    assert _alerts(resident).count() == 2
    assert AbnormalEpisode.objects.filter(ended_at__isnull=True).count() == 1


def test_it_starts_a_new_episode_after_a_long_quiet_gap(resident, kiosk):
    from health.services.vitals import episode_track

    first = health.make_reading(resident, "blood_pressure", hours_ago=24 * 20, systolic=150, diastolic=95)
    episode_track(reading=first)
    later = health.make_reading(resident, "blood_pressure", hours_ago=1, systolic=150, diastolic=95)
    episode_track(reading=later)
    assert AbnormalEpisode.objects.count() == 2
    assert _alerts(resident).count() == 2


def test_it_keeps_glucose_and_pressure_episodes_apart(as_user, resident, kiosk):
    client = as_user(resident)
    health.measure(client, kiosk, systolic_mmhg=150, diastolic_mmhg=90, glucose_mmol_l="7.2", glucose_context="fasting")
    assert set(AbnormalEpisode.objects.values_list("kind", flat=True)) == {"blood_pressure", "glucose"}
    assert _alerts(resident).count() == 2


def test_it_ignores_normal_and_borderline_readings(as_user, resident, kiosk):
    client = as_user(resident)
    health.measure(client, kiosk, systolic_mmhg=138, diastolic_mmhg=88)
    health.measure(client, kiosk, glucose_mmol_l="6.8", glucose_context="fasting")
    health.measure(client, kiosk, glucose_mmol_l="10.5", glucose_context="random")
    assert not AbnormalEpisode.objects.exists()
    assert not _alerts(resident).exists()


def test_a_normal_random_glucose_does_not_end_a_fasting_episode(as_user, resident, kiosk):
    client = as_user(resident)
    health.measure(client, kiosk, glucose_mmol_l="7.6", glucose_context="fasting")
    health.measure(client, kiosk, glucose_mmol_l="9.0", glucose_context="random")
    health.measure(client, kiosk, glucose_mmol_l="7.3", glucose_context="fasting")
    assert AbnormalEpisode.objects.get().ended_at is None
    assert _alerts(resident).count() == 1
    assert timezone.now() - AbnormalEpisode.objects.get().started_at < timedelta(minutes=1)
