"""Demo points economy: the district's default earning rules and the redemption catalogues of 斗潭 and
白云 (the 回龙市集 voucher is added by the merchants demo, which runs after this one)."""

from datetime import timedelta

from django.utils import timezone

from linli.points.models import EarningRule, RedemptionItem
from linli.regions.models import Community

# key → (points per unit, daily cap, monthly cap); None = no cap. 活动签到 is not seeded: events award
# each activity's own 积分 at check-in today.
RULES = {
    "volunteer_hour": (10, 40, 300),
    "class_attended": (5, 10, 100),
    "class_completed": (50, None, 200),
    "work_order_rated": (5, 10, 20),
    "problem_report_confirmed": (10, 20, 100),
}

# community code → (name, kind, description, points, stock, per-person limit, days open or None)
CATALOGUE = {
    "doutan": [
        ("环保购物袋", "goods", "凭兑换码到邻礼中心服务台领取", 50, 40, 2, None),
        ("大米 5 斤", "goods", "凭兑换码到邻礼中心服务台领取", 150, 20, 1, None),
        ("免费理发一次", "service", "每周三上午邻礼中心志愿理发，出示兑换码", 80, 10, 1, 30),
    ],
    "baiyun": [
        ("洗衣液 1 瓶", "goods", "凭兑换码到博爱幸福驿站领取", 100, 30, 2, None),
        ("春江月小区停车 1 天", "service", "出示兑换码给物业值班室", 60, 15, 3, None),
    ],
}


def seed(log) -> None:
    for key, (points, daily, monthly) in RULES.items():
        EarningRule.objects.get_or_create(
            key=key,
            community=None,
            defaults={"points_per_unit": points, "daily_cap": daily, "monthly_cap": monthly},
        )
    made = 0
    for code, rows in CATALOGUE.items():
        community = Community.objects.get(code=code)
        for name, kind, description, points, stock, limit, days in rows:
            _, created = RedemptionItem.objects.get_or_create(
                community=community,
                name=name,
                defaults={
                    "kind": kind,
                    "description": description,
                    "points_price": points,
                    "stock": stock,
                    "per_person_limit": limit,
                    "available_until": timezone.now() + timedelta(days=days) if days else None,
                },
            )
            made += created
    log(f"points: {len(RULES)} default earning rules, {made} new catalogue items in 斗潭 and 白云")
