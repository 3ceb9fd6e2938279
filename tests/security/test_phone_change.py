"""Finding 8 of the security review: a phone number was claimed without proof, and the refusal
「该手机号已被其他账号使用」 told anyone who holds a number.

Now the number changes only with an SMS code sent to it, and nothing in any answer differs
between a number nobody holds and one another account holds.
"""

import pytest

from tests import factories
from tests.accounts.phone_codes import CHANGE_URL, CODE_URL, ask_code, other_code

pytestmark = pytest.mark.django_db
TAKEN, FREE = "13900000000", "13911112222"


@pytest.fixture
def holder(db):
    return factories.make_resident(phone=TAKEN)


def test_the_profile_cannot_claim_a_phone(as_user, resident):
    as_user(resident).patch("/api/v1/me/", {"phone": FREE}, format="json")
    resident.refresh_from_db()
    assert resident.phone is None


def test_the_profile_does_not_tell_who_holds_a_phone(as_user, resident, holder):
    response = as_user(resident).patch("/api/v1/me/", {"phone": TAKEN}, format="json")
    assert "该手机号已被其他账号使用" not in response.content.decode()
    resident.refresh_from_db()
    assert resident.phone is None


def test_asking_for_a_code_answers_the_same_for_a_held_number(as_user, resident, holder):
    client = as_user(resident)
    held = client.post(CODE_URL, {"phone": TAKEN}, format="json")
    free = as_user(factories.make_resident()).post(CODE_URL, {"phone": FREE}, format="json")
    assert (held.status_code, held.json()) == (free.status_code, free.json()) == (200, held.json())


def test_the_right_code_for_a_held_number_fails_like_a_wrong_code(as_user, resident, holder, caplog):
    client = as_user(resident)
    code = ask_code(client, TAKEN, caplog)
    held = client.post(CHANGE_URL, {"phone": TAKEN, "code": code}, format="json")

    someone = as_user(factories.make_resident())
    free_code = ask_code(someone, FREE, caplog)
    wrong = someone.post(CHANGE_URL, {"phone": FREE, "code": other_code(free_code)}, format="json")

    assert (held.status_code, held.json()) == (wrong.status_code, wrong.json())
    assert held.json() == {
        "code": "validation_error",
        "message": "验证码错误或已失效",
        "fields": {"code": ["验证码错误或已失效"]},
    }
    resident.refresh_from_db()
    holder.refresh_from_db()
    assert (resident.phone, holder.phone) == (None, TAKEN)


def test_a_phone_cannot_be_claimed_without_its_code(as_user, resident):
    response = as_user(resident).post(CHANGE_URL, {"phone": FREE, "code": "000000"}, format="json")
    assert response.status_code == 400
    resident.refresh_from_db()
    assert resident.phone is None
