"""The whole-API fuzzer works as anonymous, resident and community staff; officers' answers are
checked here: every staff GET and action response of a full loop must match the OpenAPI schema."""

from datetime import timedelta

import pytest
import requests
import schemathesis
from django.utils import timezone
from schemathesis.core.failures import FailureGroup
from schemathesis.core.transport import Response

from tests.enforcement.factories import make_report, make_target
from tests.quality.openapi import live_schema

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def openapi():
    return schemathesis.openapi.from_dict(live_schema())


def as_schemathesis(response, method, path) -> Response:
    return Response(
        status_code=response.status_code,
        headers={name: [value] for name, value in response.headers.items()},
        content=response.content,
        request=requests.Request(method, f"http://testserver{path}").prepare(),
        elapsed=0.0,
        verify=True,
        encoding="utf-8",
    )


class Checked:
    """An APIClient whose every answer is validated against the operation it was documented under."""

    def __init__(self, client, openapi):
        self.client, self.openapi = client, openapi

    def call(self, method, template, path, data=None, **params):
        response = getattr(self.client, method)(path, data if data is not None else params)
        assert response.status_code < 500, response.content
        operation = self.openapi[template][method.upper()]
        operation.validate_response(as_schemathesis(response, method.upper(), path))
        return response


def test_officer_and_dispatcher_answers_match_the_schema(
    world, reporter, as_user, openapi, django_capture_on_commit_callbacks
):
    officer = Checked(as_user(world.officer_taoyan), openapi)
    market = Checked(as_user(world.officer_market), openapi)
    dispatcher = Checked(as_user(world.dispatcher), openapi)
    resident = Checked(as_user(reporter), openapi)
    R = "/api/v1/staff/enforcement/reports/"
    D = R + "{id}/"

    created = resident.call(
        "post",
        "/api/v1/enforcement/reports/",
        "/api/v1/enforcement/reports/",
        {
            "category": "illegal_fishing",
            "description": "捕鱼",
            "lat": "30.0181",
            "lng": "120.7012",
        },
    )
    rid = created.json()["id"]
    resident.call(
        "post",
        "/api/v1/enforcement/reports/",
        "/api/v1/enforcement/reports/",
        {
            "category": "illegal_fishing",
            "description": "捕鱼",
            "lat": "30.0181",
            "lng": "120.7012",
        },
    )  # 409 possible_duplicate, documented with its duplicates
    path = f"{R}{rid}/"
    officer.call("post", D + "accept/", path + "accept/", {"note": "内部"})
    request = officer.call("post", D + "extension/", path + "extension/", {"reason": "蹲守", "extra_hours": 6})
    dispatcher.call("get", "/api/v1/staff/enforcement/requests/", "/api/v1/staff/enforcement/requests/")
    dispatcher.call(
        "post",
        "/api/v1/staff/enforcement/requests/{id}/decide/",
        f"/api/v1/staff/enforcement/requests/{request.json()['id']}/decide/",
        {"approve": True},
    )
    officer.call("post", D + "handle/", path + "handle/", {})
    officer.call("post", D + "handle/", path + "handle/", {})  # 409
    officer.call("post", D + "outcome/", path + "outcome/", {"outcome": "rectified", "note": "已整改"})
    officer.call("post", D + "feedback/", path + "feedback/", {"feedback": "已处理"})
    officer.call("post", D + "close/", path + "close/", {})
    officer.call("get", D, path)
    officer.call("get", R, R, overdue="false", channel="resident")
    resident.call("get", "/api/v1/enforcement/reports/{id}/", f"/api/v1/enforcement/reports/{rid}/")
    resident.call(
        "post", "/api/v1/enforcement/reports/{id}/rate/", f"/api/v1/enforcement/reports/{rid}/rate/", {"rating": 4}
    )
    resident.call("get", "/api/v1/enforcement/reports/", "/api/v1/enforcement/reports/")

    other = make_report(category=world.food_cat, street=world.fushan, reporter=reporter)
    dispatcher.call("post", D + "reroute/", f"{R}{other.pk}/reroute/", {"team": world.market.pk, "reason": "x"})
    returned = market.call("post", D + "return/", f"{R}{other.pk}/return/", {"reason": "不属本部门"})
    assert returned.status_code == 201

    target = make_target(world.taoyan, name="白塔村超市")
    INS = "/api/v1/staff/enforcement/inspections/"
    planned = officer.call(
        "post",
        INS,
        INS,
        {
            "target": target.pk,
            "matters": [world.fishing.pk, world.food.pk],
            "planned_at": (timezone.now() + timedelta(days=1)).isoformat(),
        },
    )
    iid = planned.json()["id"]
    finding = market.call(
        "post", INS + "{id}/findings/", f"{INS}{iid}/findings/", {"matter": world.food.pk, "description": "过期"}
    )
    F = "/api/v1/staff/enforcement/findings/"
    with django_capture_on_commit_callbacks(execute=True):
        case = market.call("post", F + "{id}/case/", f"{F}{finding.json()['id']}/case/", {})
    officer.call("post", INS + "{id}/complete/", f"{INS}{iid}/complete/", {"summary": "完成"})
    officer.call("get", INS, INS)
    officer.call("get", INS + "{id}/", f"{INS}{iid}/")
    market.call("get", F, F)
    C = "/api/v1/staff/enforcement/cases/"
    cid = case.json()["id"]
    market.call("post", C + "{id}/investigate/", f"{C}{cid}/investigate/", {})
    market.call("post", C + "{id}/decide/", f"{C}{cid}/decide/", {"decision": "罚款", "penalty_fen": 100000})
    market.call("post", C + "{id}/push/", f"{C}{cid}/push/", {})  # 409 already pushed
    market.call("get", C + "{id}/", f"{C}{cid}/")
    market.call("get", C, C)
    dispatcher.call("get", "/api/v1/staff/enforcement/stats/", "/api/v1/staff/enforcement/stats/")
    dispatcher.call("get", "/api/v1/staff/enforcement/teams/", "/api/v1/staff/enforcement/teams/")
    dispatcher.call("get", "/api/v1/staff/enforcement/matters/", "/api/v1/staff/enforcement/matters/")
    dispatcher.call("get", "/api/v1/staff/enforcement/targets/", "/api/v1/staff/enforcement/targets/")


def test_the_check_itself_can_fail(openapi):
    class Fake:
        status_code = 200
        headers = {"Content-Type": "application/json"}
        content = b'{"reports": "many"}'

    with pytest.raises(FailureGroup, match="distinct failures"):
        operation = openapi["/api/v1/staff/enforcement/stats/"]["GET"]
        operation.validate_response(as_schemathesis(Fake(), "GET", "/api/v1/staff/enforcement/stats/"))
