"""The monthly statement: opening, earned by rule and otherwise, spent, closing, entries (Shanghai months)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from linli.points.earning import points_earn
from linli.points.models import EarningRule
from linli.points.services import award, spend
from tests import factories

URL = "/api/v1/points/statement/"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_statement_adds_up_for_a_shanghai_month(as_user, resident, community):
    EarningRule.objects.create(key="volunteer_hour", points_per_unit=10)
    shifts = [factories.make_street() for _ in range(2)]
    with time_machine.travel(datetime(2026, 10, 31, 23, 50, tzinfo=SHANGHAI), tick=False) as clock:
        award(user=resident, amount=40, reason="活动签到", idempotency_key="oct")
        clock.move_to(datetime(2026, 11, 1, 0, 10, tzinfo=SHANGHAI))  # 16:10 UTC on 31 October
        points_earn(user=resident, rule="volunteer_hour", community=community, source=shifts[0], quantity=3)
        award(user=resident, amount=5, reason="活动签到", idempotency_key="nov")
        spend(user=resident, amount=25, reason="积分兑换", idempotency_key="nov-spend")
        clock.move_to(datetime(2026, 12, 1, 0, 0, tzinfo=SHANGHAI))
        points_earn(user=resident, rule="volunteer_hour", community=community, source=shifts[1], quantity=1)

        body = as_user(resident).get(URL, {"month": "2026-11"}).json()
        current = as_user(resident).get(URL).json()
        printed = as_user(resident).get(body["print_url"])  # a signed link: valid for 24 hours
        assert printed.status_code == 200 and "志愿服务每小时" in printed.content.decode()
        assert as_user(resident).get("/points/statements/forged/").status_code == 404

    assert {k: v for k, v in body.items() if k not in ("entries", "print_url")} == {
        "month": "2026-11",
        "opening_balance": 40,
        "earned": 35,
        "earned_by_rule": [{"rule": "volunteer_hour", "label": "志愿服务每小时", "points": 30}],
        "earned_otherwise": 5,
        "spent": 25,
        "closing_balance": 50,
    }
    assert [e["amount"] for e in body["entries"]] == [30, 5, -25]
    assert (current["month"], current["opening_balance"], current["closing_balance"]) == ("2026-12", 50, 60)
    assert as_user(resident).get(URL, {"month": "2026-13"}).status_code == 400
