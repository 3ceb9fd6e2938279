"""Providers never see each other's orders: not their care workers, not their managers."""

import pytest

from care.models import ProviderPosition
from tests.care import factories as cf

NEAR = {"latitude": "28.955800", "longitude": "118.868900"}


@pytest.fixture
def rival(community):
    return cf.make_provider(community, name="另一家养老机构")


@pytest.fixture
def ours(elder, bathing, manager, worker):
    return cf.make_order(elder, bathing, upto="dispatched", manager=manager, worker=worker)


def test_a_care_worker_never_sees_another_providers_orders(as_user, ours, rival):
    outsider = cf.make_member(rival)
    client = as_user(outsider)

    assert client.get("/api/v1/staff/care/assignments/").json()["results"] == []
    assert client.get(f"/api/v1/staff/care/assignments/{ours.pk}/").status_code == 404
    assert client.post(f"/api/v1/staff/care/assignments/{ours.pk}/check-in/", NEAR, format="json").status_code == 404
    assert client.get("/api/v1/staff/care/provider-orders/").json()["results"] == []
    assert client.get(f"/api/v1/staff/care/provider-orders/{ours.pk}/").status_code == 404


def test_a_manager_never_sees_or_dispatches_another_providers_orders(as_user, ours, rival):
    rival_manager = cf.make_member(rival, ProviderPosition.MANAGER)
    rival_worker = cf.make_member(rival)
    client = as_user(rival_manager)

    assert client.get("/api/v1/staff/care/provider-orders/").json()["results"] == []
    assert client.get(f"/api/v1/staff/care/provider-orders/{ours.pk}/").status_code == 404
    dispatch = client.post(
        f"/api/v1/staff/care/provider-orders/{ours.pk}/dispatch/", {"worker": rival_worker.pk}, format="json"
    )
    assert dispatch.status_code == 404
    assert [w["id"] for w in client.get("/api/v1/staff/care/provider-workers/").json()["results"]] == [rival_worker.pk]


def test_a_manager_cannot_dispatch_to_another_providers_worker(as_user, elder, bathing, manager, rival):
    order = cf.make_order(elder, bathing)
    rival_worker = cf.make_member(rival)

    response = as_user(manager).post(
        f"/api/v1/staff/care/provider-orders/{order.pk}/dispatch/", {"worker": rival_worker.pk}, format="json"
    )

    assert response.status_code == 400
    assert "worker" in response.json()["fields"]


def test_a_worker_who_left_the_provider_no_longer_sees_its_orders(as_user, ours, worker):
    worker.memberships.all().delete()

    response = as_user(worker).get("/api/v1/staff/care/assignments/")

    assert response.status_code == 403


def test_residents_and_community_staff_are_not_care_workers(as_user, resident, staff):
    for user in (resident, staff):
        response = as_user(user).get("/api/v1/staff/care/assignments/")
        assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
