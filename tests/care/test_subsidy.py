"""养老服务补贴: eligibility set by community staff, the idempotent monthly grant, expiry of unspent
allowance (first granted, first spent), and the elder's balance and statement."""

from datetime import date

import pytest
import time_machine

from care import services, tasks
from care.models import SubsidyAccount, SubsidyEntry
from tests.care import factories as cf

ACCOUNTS = "/api/v1/staff/care/subsidy-accounts/"


@pytest.fixture
def account(community, elder, staff):
    return services.subsidy_account_set(by=staff, elder=elder, community=community, monthly_amount_fen=20000)


def grants(account) -> list[tuple[date, int]]:
    return list(account.entries.filter(kind="grant").order_by("month").values_list("month", "amount_fen"))


def test_community_staff_mark_an_elder_eligible_through_the_api(as_user, community, elder, staff):
    body = {"elder": elder.pk, "community": community.pk, "monthly_amount_fen": 20000, "note": "80 周岁以上独居"}

    response = as_user(staff).post(ACCOUNTS, body, format="json")

    assert response.status_code == 200, response.json()
    assert (response.json()["is_eligible"], response.json()["balance_fen"]) == (True, 0)
    assert [row["elder"]["id"] for row in as_user(staff).get(ACCOUNTS).json()["results"]] == [elder.pk]


def test_staff_of_another_community_cannot_mark_our_elders(as_user, community, elder, other_staff):
    body = {"elder": elder.pk, "community": community.pk, "monthly_amount_fen": 20000}

    response = as_user(other_staff).post(ACCOUNTS, body, format="json")

    assert response.status_code == 403
    assert not SubsidyAccount.objects.exists()


def test_an_elder_of_another_community_cannot_be_marked_here(as_user, community, other_community, staff):
    stranger = cf.make_elder(other_community)

    response = as_user(staff).post(
        ACCOUNTS, {"elder": stranger.pk, "community": community.pk, "monthly_amount_fen": 100}, format="json"
    )

    assert response.status_code == 400
    assert "elder" in response.json()["fields"]


def test_the_monthly_grant_is_given_once_however_often_the_job_runs(account):
    with time_machine.travel(date(2026, 12, 3), tick=False):
        assert tasks.grant_subsidies() == 1
        assert tasks.grant_subsidies() == 0
    with time_machine.travel(date(2026, 12, 28), tick=False):
        assert tasks.grant_subsidies() == 0
    with time_machine.travel(date(2027, 1, 1), tick=False):
        assert tasks.grant_subsidies() == 1

    assert grants(account) == [(date(2026, 12, 1), 20000), (date(2027, 1, 1), 20000)]
    account.refresh_from_db()
    assert account.balance_fen == 40000


def test_an_elder_no_longer_eligible_gets_no_grant(account, community, elder, staff):
    services.subsidy_account_set(
        by=staff, elder=elder, community=community, monthly_amount_fen=20000, is_eligible=False
    )

    assert tasks.grant_subsidies() == 0
    assert grants(account) == []


def test_unspent_allowance_expires_first_granted_first(account, elder, bathing):
    with time_machine.travel(date(2026, 10, 5), tick=False):
        services.subsidy_grant(account=account, month=date(2026, 10, 1))  # expires 2026-12-01
    with time_machine.travel(date(2026, 11, 5), tick=False):
        services.subsidy_grant(account=account, month=date(2026, 11, 1))  # expires 2027-01-01
        cf.make_order(elder, bathing)  # 8000 of October's 20000
    with time_machine.travel(date(2026, 11, 30), tick=False):
        assert tasks.expire_subsidies() == 0
    with time_machine.travel(date(2026, 12, 1), tick=False):
        assert tasks.expire_subsidies() == 1
        assert tasks.expire_subsidies() == 0

    account.refresh_from_db()
    expired = account.entries.get(kind="expire")
    assert expired.amount_fen == -12000  # what was left of October
    assert account.balance_fen == 20000  # November's, untouched


def test_the_elder_sees_the_balance_and_the_statement(as_user, community, elder, bathing):
    cf.give_subsidy(elder, community, amount_fen=20000)
    cf.make_order(elder, bathing)
    client = as_user(elder)

    balance = client.get("/api/v1/care/subsidy/").json()
    statement = client.get("/api/v1/care/subsidy/entries/").json()["results"]

    assert (balance["is_eligible"], balance["monthly_amount_fen"], balance["balance_fen"]) == (True, 20000, 12000)
    assert [(e["kind"], e["amount_fen"], e["balance_after_fen"]) for e in statement] == [
        ("spend", -8000, 12000),
        ("grant", 20000, 20000),
    ]
    assert client.get("/api/v1/care/subsidy/entries/", {"kind": "grant"}).json()["count"] == 1


def test_someone_without_an_account_sees_no_allowance(as_user, resident):
    body = as_user(resident).get("/api/v1/care/subsidy/").json()

    assert (body["is_eligible"], body["balance_fen"], body["community"]) == (False, 0, None)


def test_the_ledger_refuses_a_spend_above_the_balance(account):
    from care.services.subsidy import entry_write, lock_account

    with pytest.raises(services.SubsidyInsufficient):
        entry_write(lock_account(account.pk), kind=SubsidyEntry.Kind.SPEND, amount_fen=-1, key="x")
