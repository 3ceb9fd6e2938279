"""Migration 0003 renames the status-change tables to the histories without losing a row, and
derives the `action` of the rows written before it."""

import pytest

from events.models import EventHistory, RegistrationHistory
from tests.events.factories import make_event, make_verified, register
from tests.support.migrations import migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("events", "0002_venuebooking_no_overlap")]
AFTER = [("events", "0003_history")]


def test_it_keeps_the_history_rows_and_derives_their_action(community, to_latest):
    event = make_event(community, publish=False)
    registration = register(make_event(community, title="书法课"), make_verified(community))
    try:
        old = migrate(BEFORE)
        OldEventChange = old.get_model("events", "EventStatusChange")
        OldRegistrationChange = old.get_model("events", "RegistrationStatusChange")
        published = OldEventChange.objects.create(
            event_id=event.pk, from_status="draft", to_status="published", note="发布（旧）"
        )
        promoted = OldRegistrationChange.objects.create(
            registration_id=registration.pk, from_status="waitlisted", to_status="confirmed", note="候补递补（旧）"
        )
    finally:
        migrate(AFTER)

    row = EventHistory.objects.get(pk=published.pk)
    assert (row.event_id, row.action, row.from_status, row.to_status, row.note) == (
        event.pk,
        "publish",
        "draft",
        "published",
        "发布（旧）",
    )
    assert row.created_at == published.created_at
    assert [h.action for h in event.history.all()] == ["create", "publish"]
    row = RegistrationHistory.objects.get(pk=promoted.pk)
    assert (row.registration_id, row.action, row.to_status) == (registration.pk, "promote", "confirmed")
    assert [h.action for h in registration.history.all()] == ["register", "promote"]
