"""A pass for N entries opens exactly N times, however many gates ask at once (PostgreSQL, real threads)."""

import pytest

from property.models import GateEntry, VisitorPass
from property.services import gate as services
from tests.property.gate_factories import make_gate, make_host, make_pass
from tests.support.race import errors, race_n

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_pass_admits_exactly_its_entries_under_concurrent_verifies(community):
    user, room = make_host(community)
    visitor_pass = make_pass(user, room, entries=3)
    gates = [make_gate(room.building.estate)[0] for _ in range(2)]

    results = race_n(12, lambda i: services.gate_verify(device=gates[i % 2], code=visitor_pass.code))

    assert not errors(results)
    assert sum(decision.allowed for decision in results) == 3
    assert {decision.entry.reason for decision in results if not decision.allowed} == {"used_up"}
    assert VisitorPass.objects.get(pk=visitor_pass.pk).entries_used == 3
    assert GateEntry.objects.filter(visitor_pass=visitor_pass).count() == 12


def test_one_request_id_racing_with_itself_takes_one_entry(community):
    user, room = make_host(community)
    visitor_pass = make_pass(user, room, entries=5)
    gate = make_gate(room.building.estate)[0]

    results = race_n(6, lambda i: services.gate_verify(device=gate, code=visitor_pass.code, request_id="scan-7"))

    assert not errors(results)
    assert len({decision.entry.pk for decision in results}) == 1
    assert VisitorPass.objects.get(pk=visitor_pass.pk).entries_used == 1
