"""The monthly grant and the spending of one balance, decided by the database under real concurrency."""

from datetime import timedelta

import pytest
from django.utils import timezone

from care import services
from care.models import CareOrder, SubsidyAccount, SubsidyEntry
from tests import factories
from tests.care import factories as cf
from tests.support.race import errors, race, race_n

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_grant_jobs_running_at_once_grant_each_account_once(community):
    staff = factories.make_user(is_superuser=True)
    accounts = [
        services.subsidy_account_set(
            by=staff, elder=cf.make_elder(community), community=community, monthly_amount_fen=20000
        )
        for _ in range(5)
    ]

    results = race_n(4, lambda i: services.subsidies_grant_monthly())

    assert errors(results) == []
    assert sum(results) == 5
    for account in accounts:
        account.refresh_from_db()
        assert account.balance_fen == 20000
        assert account.entries.filter(kind="grant").count() == 1


def test_two_orders_at_once_never_spend_more_subsidy_than_there_is(community):
    provider = cf.make_provider(community)
    service = cf.make_service(provider, community, price_fen=8000)
    elder = cf.make_elder(community)
    cf.give_subsidy(elder, community, amount_fen=10000)
    start = timezone.now() + timedelta(days=1)

    results = race(
        [lambda: services.care_order_place(elder=elder, service=service, scheduled_start=start) for _ in range(3)]
    )

    assert errors(results) == []
    account = SubsidyAccount.objects.get(elder=elder)
    spent = -sum(SubsidyEntry.objects.filter(account=account, kind="spend").values_list("amount_fen", flat=True))
    assert spent == 10000
    assert account.balance_fen == 0
    assert sorted(CareOrder.objects.values_list("subsidy_fen", flat=True)) == [0, 2000, 8000]


def test_cancelling_twice_at_once_returns_the_subsidy_once(community):
    provider = cf.make_provider(community)
    service = cf.make_service(provider, community, price_fen=8000)
    elder = cf.make_elder(community)
    cf.give_subsidy(elder, community, amount_fen=3000)
    order = cf.make_order(elder, service)

    results = race([lambda: services.care_order_cancel(order=CareOrder(pk=order.pk), by=elder) for _ in range(3)])

    assert len(errors(results)) == 2
    assert {type(e).__name__ for e in errors(results)} == {"InvalidTransition"}
    assert SubsidyAccount.objects.get(elder=elder).balance_fen == 3000
    assert SubsidyEntry.objects.filter(order=order, kind="refund").count() == 1
