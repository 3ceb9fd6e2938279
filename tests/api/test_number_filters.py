"""Number filters answer 400 for numbers no 64-bit column can hold, whatever FilterSet declares them.

Found by the fuzzer on SQLite: `?klass=-6.78e+30` on the 托育 enrolments list was a 500 (OverflowError:
Python int too large to convert to SQLite INTEGER); PostgreSQL refuses such a number as well.
"""

import pytest

ENROLMENTS = "/api/v1/care/childcare/enrolments/"


@pytest.mark.parametrize("number", ["-6.780740369376428e+30", "9223372036854775808", "1e308"])
def test_it_refuses_a_number_past_64_bits_with_a_400(as_user, resident, number):
    response = as_user(resident).get(ENROLMENTS, {"klass": number})

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "validation_error"
    assert "klass" in response.json()["fields"]


def test_it_takes_the_largest_id_and_finds_nothing(as_user, resident):
    response = as_user(resident).get(ENROLMENTS, {"klass": str(2**63 - 1)})

    assert response.status_code == 200, response.content
    assert response.json()["count"] == 0
