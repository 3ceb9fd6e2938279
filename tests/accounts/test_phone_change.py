"""Changing my phone number: a code sent by SMS to the new number proves it (linli.accounts.services)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from linli.accounts.models import PhoneCode
from linli.notifications.sms import SmsError
from tests import factories
from tests.accounts.phone_codes import CHANGE_URL, CODE_URL, ask_code, other_code

pytestmark = pytest.mark.django_db
PHONE = "13812345678"


class FailingSms:
    """A provider that refuses (as Aliyun does for a throttled number)."""

    def send(self, *, phone, template, params):
        raise SmsError("isv.BUSINESS_LIMIT_CONTROL", "触发流控", transient=True)


@pytest.fixture
def client(as_user, resident):
    return as_user(resident)


def change(client, code, phone=PHONE):
    return client.post(CHANGE_URL, {"phone": phone, "code": code}, format="json")


def test_the_sent_code_sets_my_phone(client, resident, caplog):
    code = ask_code(client, PHONE, caplog)
    response = change(client, code)
    assert response.status_code == 200, response.json()
    assert response.json()["phone"] == PHONE
    resident.refresh_from_db()
    assert resident.phone == PHONE


def test_the_answer_says_how_long_the_code_lives(client):
    response = client.post(CODE_URL, {"phone": PHONE}, format="json")
    assert response.json() == {"expires_in": 600, "resend_in": 60}


def test_the_code_is_stored_only_as_a_keyed_hash(client, resident, caplog):
    code = ask_code(client, PHONE, caplog)
    stored = PhoneCode.objects.get(user=resident)
    assert code not in stored.code_hash and len(stored.code_hash) == 64
    assert (stored.phone, stored.failed_attempts) == (PHONE, 0)


def test_the_log_shows_the_number_masked(client, caplog):
    ask_code(client, PHONE, caplog)
    assert PHONE not in caplog.text and "138****5678" in caplog.text


def test_a_wrong_code_is_refused_on_the_code_field(client, resident, caplog):
    code = ask_code(client, PHONE, caplog)
    response = change(client, other_code(code))
    assert response.status_code == 400
    assert response.json()["fields"] == {"code": ["验证码错误或已失效"]}
    resident.refresh_from_db()
    assert resident.phone is None


def test_five_wrong_codes_end_the_code(client, resident, caplog):
    code = ask_code(client, PHONE, caplog)
    for _ in range(5):
        assert change(client, other_code(code)).status_code == 400
    assert change(client, code).status_code == 400
    resident.refresh_from_db()
    assert resident.phone is None


def test_four_wrong_codes_still_leave_the_right_one_working(client, caplog):
    code = ask_code(client, PHONE, caplog)
    for _ in range(4):
        change(client, other_code(code))
    assert change(client, code).status_code == 200


def test_the_code_expires_after_ten_minutes(client, caplog):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        code = ask_code(client, PHONE, caplog)
        clock.shift(timedelta(minutes=10, seconds=1))
        assert change(client, code).status_code == 400


def test_a_code_works_once(client, resident, caplog):
    code = ask_code(client, PHONE, caplog)
    assert change(client, code).status_code == 200
    resident.phone = None
    resident.save(update_fields=["phone"])
    assert change(client, code).status_code == 400


def test_a_code_proves_only_the_number_it_was_sent_to(client, caplog):
    code = ask_code(client, PHONE, caplog)
    assert change(client, code, phone="13900000000").status_code == 400


def test_a_code_works_only_for_the_user_who_asked(as_user, client, caplog):
    code = ask_code(client, PHONE, caplog)
    someone = factories.make_resident()
    assert change(as_user(someone), code).status_code == 400


def test_a_new_code_replaces_the_old_one(client, caplog):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first = ask_code(client, PHONE, caplog)
        clock.shift(timedelta(seconds=61))
        second = ask_code(client, PHONE, caplog)
        if first != second:
            assert change(client, first).status_code == 400
        assert change(client, second).status_code == 200


def test_another_code_waits_sixty_seconds(client, caplog):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        ask_code(client, PHONE, caplog)
        clock.shift(timedelta(seconds=20))
        response = client.post(CODE_URL, {"phone": "13900000000"}, format="json")
        assert response.status_code == 429
        assert response.json() == {"code": "throttled", "message": "验证码已发送，请 40 秒后再试"}
        assert response["Retry-After"] == "40"
        clock.shift(timedelta(seconds=41))
        assert ask_code(client, "13900000000", caplog) is not None


def test_a_number_gets_at_most_five_codes_an_hour_whoever_asks(as_user, caplog):
    for _ in range(5):
        ask_code(as_user(factories.make_resident()), PHONE, caplog)
    response = as_user(factories.make_resident()).post(CODE_URL, {"phone": PHONE}, format="json")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    ask_code(as_user(factories.make_resident()), "13900000000", caplog)


def test_a_user_gets_at_most_ten_codes_an_hour(client, caplog):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for n in range(10):
            ask_code(client, f"1390000000{n}", caplog)
            clock.shift(timedelta(seconds=61))
        response = client.post(CODE_URL, {"phone": "13911111111"}, format="json")
        assert response.status_code == 429


@pytest.mark.parametrize("phone", ["12345", "23812345678", "1381234567x", ""])
def test_it_refuses_what_is_not_a_mainland_mobile_number(client, phone):
    response = client.post(CODE_URL, {"phone": phone}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["phone"]


@pytest.mark.parametrize("code", ["12345", "abcdef", "1234567", ""])
def test_it_refuses_what_is_not_a_six_digit_code(client, code):
    response = change(client, code)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["code"]


def test_without_an_sms_backend_no_code_is_promised(client, settings):
    settings.SMS_BACKEND = ""
    response = client.post(CODE_URL, {"phone": PHONE}, format="json")
    assert response.status_code == 503
    assert response.json()["code"] == "sms_not_configured"
    assert not PhoneCode.objects.exists()


def test_a_failed_sms_leaves_no_code_and_no_wait(client, settings, caplog):
    settings.SMS_BACKEND = "tests.accounts.test_phone_change.FailingSms"
    response = client.post(CODE_URL, {"phone": PHONE}, format="json")
    assert response.status_code == 502
    assert response.json()["code"] == "upstream_error"
    assert not PhoneCode.objects.exists()
    settings.SMS_BACKEND = "console"
    assert ask_code(client, PHONE, caplog) is not None


def test_outside_the_sandbox_the_code_is_never_logged(client, settings, caplog):
    settings.LINLI_SANDBOX = False
    assert ask_code(client, PHONE, caplog) is None
    assert PhoneCode.objects.filter(phone=PHONE).exists()


def test_anonymous_users_cannot_ask_for_codes(api):
    assert api.post(CODE_URL, {"phone": PHONE}, format="json").status_code == 401
    assert api.post(CHANGE_URL, {"phone": PHONE, "code": "123456"}, format="json").status_code == 401
