"""Members under real concurrency (PostgreSQL row locks): a code joins one person, a shop keeps one owner."""

import pytest

from linli.accounts.models import Membership, Role
from merchants import services
from merchants.models import MerchantInvitation
from tests import factories
from tests.merchants.factories import add_member, make_owner
from tests.support.race import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def positions(merchant):
    return sorted(
        Membership.objects.filter(role=Role.MERCHANT_MEMBER, scope_id=merchant.pk).values_list("position", flat=True)
    )


def test_five_people_racing_with_one_code_make_exactly_one_member():
    merchant, owner = make_owner(factories.make_community())
    _invitation, code = services.merchant_invitation_create(merchant=merchant, by=owner, position="staff")
    people = [factories.make_resident() for _ in range(5)]

    results = race([lambda p=p: services.merchant_invitation_accept_code(code=code, user=p) for p in people])

    joined = [r for r in results if isinstance(r, Membership)]
    assert len(joined) == 1, results
    assert {e.fields["code"][0] for e in results if isinstance(e, Exception)} == {"邀请码无效或已失效"}
    assert positions(merchant) == ["owner", "staff"]
    assert MerchantInvitation.objects.get().user_id == joined[0].user_id


def test_two_concurrent_transfers_leave_exactly_one_owner():
    merchant, owner = make_owner(factories.make_community())
    heirs = [add_member(merchant, factories.make_resident(), "manager") for _ in range(2)]

    results = race([lambda h=h: services.merchant_ownership_transfer(merchant=merchant, by=owner, to=h) for h in heirs])

    assert len([r for r in results if isinstance(r, Membership)]) == 1, results
    assert positions(merchant) == ["manager", "manager", "owner"]
    assert Membership.objects.get(user=owner, role=Role.MERCHANT_MEMBER).position == "manager"
