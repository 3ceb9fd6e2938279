"""GET /api/v1/staff/work-orders/handlers/?community= — whom staff may assign an order to (the picker)."""

from linli.accounts.models import Role
from residents.models import WorkOrder
from tests import factories
from tests.residents import factories as rf

HANDLERS = "/api/v1/staff/work-orders/handlers/"


def test_it_lists_the_property_managers_of_the_community_with_their_open_orders(
    as_user, staff, manager, handler, other_manager, owner, community
):
    rf.make_work_order(owner, community=community, upto="in_progress", handler=handler)
    rf.make_work_order(owner, community=community, upto="closed", handler=handler)
    response = as_user(staff).get(HANDLERS, {"community": community.pk})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["count"] == 2
    assert body["results"] == [
        {"id": manager.pk, "display_name": str(manager), "open_work_orders": 0},
        {"id": handler.pk, "display_name": str(handler), "open_work_orders": 1},
    ]


def test_it_lets_a_property_manager_pick_a_colleague(as_user, manager, handler, community):
    response = as_user(manager).get(HANDLERS, {"community": community.pk})
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {manager.pk, handler.pk}


def test_it_leaves_out_inactive_managers(as_user, staff, manager, handler, community):
    handler.is_active = False
    handler.save(update_fields=["is_active"])
    response = as_user(staff).get(HANDLERS, {"community": community.pk})
    assert [row["id"] for row in response.json()["results"]] == [manager.pk]


def test_it_answers_404_for_a_community_i_do_not_work_for(as_user, other_staff, manager, community):
    response = as_user(other_staff).get(HANDLERS, {"community": community.pk})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_it_answers_an_empty_list_for_my_community_without_managers(as_user, other_staff, manager, other_community):
    response = as_user(other_staff).get(HANDLERS, {"community": other_community.pk})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_it_takes_my_only_community_when_none_is_given(as_user, staff, manager):
    response = as_user(staff).get(HANDLERS)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [manager.pk]


def test_it_needs_the_community_from_staff_of_several(as_user, staff, other_community):
    factories.grant(staff, Role.COMMUNITY_STAFF, community=other_community)
    response = as_user(staff).get(HANDLERS)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["community"]


def test_it_is_for_staff_only(as_user, owner, community):
    response = as_user(owner).get(HANDLERS, {"community": community.pk})
    assert response.status_code == 403
    assert response.json()["message"] == "仅物业管理员、社区工作人员可以访问"


def test_it_offers_handlers_the_assignment_accepts(as_user, staff, handler, owner, community):
    order = rf.make_work_order(owner, community=community)
    picked = as_user(staff).get(HANDLERS, {"community": order.community_id}).json()["results"][0]
    response = as_user(staff).post(f"/api/v1/staff/work-orders/{order.pk}/assign/", {"assignee": picked["id"]})
    assert response.status_code == 200, response.json()
    assert WorkOrder.objects.get(pk=order.pk).assignee_id == handler.pk


def test_it_does_not_count_orders_of_another_community(as_user, staff, community, other_community):
    both = rf.make_property_manager(community, username="both_places")
    factories.grant(both, Role.PROPERTY_MANAGER, community=other_community)
    resident_there, _ = rf.make_verified_resident(other_community)
    rf.make_work_order(resident_there, community=other_community, upto="in_progress", handler=both)
    response = as_user(staff).get(HANDLERS, {"community": community.pk})
    assert response.json()["results"] == [{"id": both.pk, "display_name": str(both), "open_work_orders": 0}]
