"""Phone-change codes under real concurrency (PostgreSQL, threads): the row locks decide."""

import pytest

from linli.accounts.models import PhoneCode
from tests import factories
from tests.accounts.phone_codes import CHANGE_URL, CODE_URL, ask_code, other_code
from tests.conftest import client_for
from tests.support.race import errors, race_n
from tests.support.throttles import lift_throttles

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
PHONE = "13812345678"


def test_twenty_parallel_wrong_codes_get_five_tries_and_end_the_code(caplog):
    user = factories.make_resident()
    code = ask_code(client_for(user), PHONE, caplog)
    wrong = other_code(code)
    statuses = race_n(20, lambda _: client_for(user).post(CHANGE_URL, {"phone": PHONE, "code": wrong}).status_code)
    assert not errors(statuses) and set(statuses) == {400}
    assert PhoneCode.objects.get(user=user).failed_attempts == 5
    assert client_for(user).post(CHANGE_URL, {"phone": PHONE, "code": code}, format="json").status_code == 400


def test_parallel_requests_send_one_code(monkeypatch):
    lift_throttles(monkeypatch)  # the resend interval, not the hourly limits, is under test
    user = factories.make_resident()
    statuses = race_n(8, lambda n: client_for(user).post(CODE_URL, {"phone": f"1390000000{n}"}).status_code)
    assert not errors(statuses)
    assert sorted(statuses) == [200] + [429] * 7


def test_two_users_confirming_one_number_at_once_give_it_to_one(caplog):
    users = [factories.make_resident(), factories.make_resident()]
    codes = [ask_code(client_for(user), PHONE, caplog) for user in users]
    statuses = race_n(
        2, lambda n: client_for(users[n]).post(CHANGE_URL, {"phone": PHONE, "code": codes[n]}).status_code
    )
    assert sorted(statuses) == [200, 400]
    holders = [user for user in users if (user.refresh_from_db() or user.phone) == PHONE]
    assert len(holders) == 1
