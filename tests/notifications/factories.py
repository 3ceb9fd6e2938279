"""Factories of the notifications tests (and the quality gates' data makers)."""

from linli.notifications.models import Notification, SubscriptionQuota


def make_notification(recipient, **kw) -> Notification:
    defaults = {"kind": "work_order.assigned", "title": "工单已派单", "body": "您的报修已派给维修师傅"}
    return Notification.objects.create(recipient=recipient, **{**defaults, **kw})


def give_quota(user, template_id: str, remaining: int = 1) -> SubscriptionQuota:
    quota, _ = SubscriptionQuota.objects.update_or_create(
        user=user, template_id=template_id, defaults={"remaining": remaining, "accepted_total": remaining}
    )
    return quota
