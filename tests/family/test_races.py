"""Bindings under real concurrency (PostgreSQL row locks and the one-live-binding constraint)."""

import pytest

from linli.api.errors import ConflictError
from linli.family import services
from linli.family.models import FamilyBinding
from tests import factories
from tests.family.factories import phone_of
from tests.support.race import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_accepts_of_the_same_request_bind_once():
    elder, son = factories.make_resident(), factories.make_resident()
    binding = services.family_binding_request(by=son, side="member", phone=phone_of(elder))

    results = race([lambda: services.family_binding_accept(binding=binding, by=elder) for _ in range(2)])

    accepted = [r for r in results if isinstance(r, FamilyBinding)]
    assert len(accepted) == 1, results
    assert [e.code for e in results if isinstance(e, Exception)] == ["invalid_transition"]
    assert list(binding.history.values_list("action", flat=True)) == ["request", "accept"]


def test_crossed_requests_accepted_at_once_leave_one_live_binding():
    """He asked her and she asked him; both accept the other's request at the same moment."""
    elder, son = factories.make_resident(), factories.make_resident()
    his = services.family_binding_request(by=son, side="member", phone=phone_of(elder))
    hers = services.family_binding_request(by=elder, side="principal", phone=phone_of(son))

    results = race(
        [
            lambda: services.family_binding_accept(binding=his, by=elder),
            lambda: services.family_binding_accept(binding=hers, by=son),
        ]
    )

    assert sum(isinstance(r, FamilyBinding) for r in results) == 1, results
    assert all(r.code == "binding_exists" for r in results if isinstance(r, ConflictError))
    assert FamilyBinding.objects.filter(principal=elder, member=son, status="accepted").count() == 1
