"""The staff console: every events page renders, and its actions go through the services."""

import pytest
from django.test import Client

from events.models import CheckInScan, Event, Feedback, Registration, SeatRelease, Venue, VenueBooking
from linli.accounts.models import User
from linli.notifications.models import Notification
from tests.events.factories import make_event, make_venue, make_verified, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(community):
    admin = User.objects.create_superuser("root", password="pw-123456-x", display_name="管理员")
    client = Client()
    client.force_login(admin)
    event = make_event(community, venue=make_venue(community), capacity=1)
    holder = register(event, make_verified(community))
    register(event, make_verified(community))
    from events import services

    services.registration_cancel(registration=holder, actor=holder.user)
    services.registration_check_in(event=event, ticket="nonsense", staff=admin)
    return client


@pytest.mark.parametrize(
    "model", [Venue, Event, Registration, VenueBooking, SeatRelease, CheckInScan, Feedback], ids=lambda m: m.__name__
)
def test_every_page_renders(console, model):
    name = model._meta.model_name
    assert console.get(f"/admin/events/{name}/").status_code == 200
    obj = model.objects.first()
    if obj is not None:
        assert console.get(f"/admin/events/{name}/{obj.pk}/change/").status_code == 200


def test_the_cancel_action_tells_the_registrants(console):
    event = Event.objects.get()
    response = console.post("/admin/events/event/", {"action": "cancel", "_selected_action": [event.pk]}, follow=True)
    assert response.status_code == 200
    event.refresh_from_db()
    assert event.status == "cancelled"
    assert Notification.objects.filter(kind="events.cancelled").exists()
