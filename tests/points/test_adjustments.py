"""Staff award or deduct points by hand: with a reason, audited, within a monthly limit per staff member."""

import pytest

from linli.points.models import AdjustmentLimit, ManualAdjustment, PointsAccount
from linli.points.services.adjustments import points_adjust
from tests import factories
from tests.points.helpers import resident_with_points
from tests.support import personas
from tests.support.race import errors, race_n

URL = "/api/v1/staff/points/adjustments/"


def test_staff_award_and_deduct_with_a_reason_and_the_audit_says_who_why_and_to_whom(
    as_user, community, staff, other_staff
):
    resident = resident_with_points(community, 0)
    AdjustmentLimit.objects.create(community=community, monthly_points=100)

    award = {"community": community.pk, "user": resident.pk, "amount": 60, "reason": "协助社区防汛"}
    response = as_user(staff).post(URL, award, format="json", headers={"Idempotency-Key": "adj-1"})
    assert response.status_code == 201, response.json()
    assert (response.json()["balance_after"], response.json()["staff"]["id"]) == (60, staff.pk)
    assert as_user(staff).post(URL, award, format="json", headers={"Idempotency-Key": "adj-1"}).status_code == 201

    deduct = {**award, "amount": -30, "reason": "重复领取"}
    assert as_user(staff).post(URL, deduct, format="json").status_code == 201
    over = as_user(staff).post(URL, {**award, "amount": 11}, format="json")
    assert (over.status_code, over.json()["code"]) == (409, "adjustment_limit_reached")  # 60 + 30 + 11 > 100
    too_much = as_user(staff).post(URL, {**award, "amount": -31}, format="json")
    assert too_much.status_code == 409

    assert PointsAccount.objects.get(user=resident).balance == 30
    assert list(ManualAdjustment.objects.order_by("id").values_list("staff", "user", "amount", "reason")) == [
        (staff.pk, resident.pk, 60, "协助社区防汛"),
        (staff.pk, resident.pk, -30, "重复领取"),
    ]
    assert as_user(other_staff).get(URL).json()["count"] == 0
    assert as_user(staff).get(URL).json()["count"] == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "status"),
    [({"amount": 0}, 400), ({"reason": ""}, 400), ({"elsewhere": True}, 404), ({"not_resident": True}, 404)],
)
def test_it_refuses_an_adjustment_without_a_reason_or_outside_my_communities(
    as_user, community, other_community, staff, change, status
):
    resident = resident_with_points(other_community if change.get("not_resident") else community, 0)
    where = other_community if change.get("elsewhere") else community
    body = {"community": where.pk, "user": resident.pk, "amount": change.get("amount", 5)}
    body["reason"] = change.get("reason", "好人好事")
    assert as_user(staff).post(URL, body, format="json").status_code == status
    assert not ManualAdjustment.objects.exists()


def test_residents_may_not_adjust(as_user, community):
    resident = resident_with_points(community, 0)
    body = {"community": community.pk, "user": resident.pk, "amount": 5, "reason": "自己加分"}
    assert as_user(resident).post(URL, body, format="json").status_code == 403


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_staff_members_concurrent_adjustments_stay_within_the_monthly_limit():
    community = factories.make_community()
    staff = personas.staff(community).user
    AdjustmentLimit.objects.create(community=community, monthly_points=100)
    people = [resident_with_points(community, 0) for _ in range(8)]

    results = race_n(
        8, lambda i: points_adjust(staff=staff, user=people[i], community=community, amount=30, reason="志愿")
    )

    assert len(errors(results)) == 5
    assert sum(ManualAdjustment.objects.values_list("amount", flat=True)) == 90
