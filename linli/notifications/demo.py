"""Demo data: 张大爷 (dev-demo) accepted the subscribe-message templates a few times, so the demo's
work orders, orders and health alerts show sandbox WeChat pushes in the admin, and has a welcome
message in the inbox. Idempotent: a second run changes nothing."""

from linli.accounts.models import User
from linli.notifications import conf
from linli.notifications.models import SubscriptionQuota
from linli.notifications.services import notify


def seed(log):
    demo = User.objects.filter(wechat_openid="dev-demo").first()
    if demo is None:
        return
    for topic in conf.subscribable_topics():
        SubscriptionQuota.objects.get_or_create(
            user=demo, template_id=topic.wechat_template, defaults={"remaining": 3, "accepted_total": 3}
        )
    notify(
        demo,
        "announcement.welcome",
        "欢迎使用邻礼通",
        "在这里可以报修、参加社区活动、逛线上市集、查看健康服务。消息会第一时间出现在这里。",
        link="/pages/index/index",
        dedupe_key="demo:welcome",
    )
    quotas = demo.subscription_quotas.count()
    log(f"notifications: {demo.notifications.count()} messages, {quotas} subscriptions for 张大爷")
