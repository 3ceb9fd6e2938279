"""Time filters answer 400 for moments the database cannot take, and compare in UTC otherwise.

Found by the fuzzer on PostgreSQL: `?to=6987-11-23T23:28:49+18:30` on the vitals list was a 500
(PostgreSQL refuses offsets beyond ±15:59).
"""

import pytest

VITALS = "/api/v1/health/vitals/"
EVENTS = "/api/v1/events/"


@pytest.mark.parametrize("path", [VITALS, f"{VITALS}trends/", EVENTS])
@pytest.mark.parametrize(
    "moment",
    ["6987-11-23T23:28:49+18:30", "0187-07-23T11:36:41+18:55", "0001-01-01T00:00:00+01:00", "2150-05-24T06:08:16Z"],
)
def test_it_refuses_a_moment_out_of_range_with_a_400(as_user, resident, path, moment):
    param = "starts_after" if path == EVENTS else "from"

    response = as_user(resident).get(path, {param: moment})

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "validation_error"
    assert param in response.json()["fields"]


@pytest.mark.parametrize("path", [VITALS, f"{VITALS}trends/", EVENTS])
def test_it_takes_an_offset_the_database_would_refuse_by_converting_it_to_utc(as_user, resident, path):
    param = "starts_before" if path == EVENTS else "to"

    response = as_user(resident).get(path, {param: "2026-11-23T23:28:49-16:19"})

    assert response.status_code == 200, response.content
