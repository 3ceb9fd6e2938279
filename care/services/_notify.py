"""Who hears about a care order or a visit, and the one way they are told."""

from linli.family.selectors import alert_recipients
from linli.notifications.services import notify


def family_of(elder_id: int) -> list[int]:
    """The family members holding 接收告警 on an accepted binding to the elder."""
    return list(alert_recipients(elder_id).values_list("pk", flat=True))


def tell_elder_and_family(order, step: str, title: str, body: str) -> None:
    """The elder and their family (接收告警) hear of each step of an order, once per step."""
    notify(
        [order.elder_id, *family_of(order.elder_id)],
        f"care.order_{step}",
        title,
        body,
        link=f"/pages/care/orders/detail?id={order.pk}",
        data={"order": order.pk, "status": order.status},
        dedupe_key=f"care-order:{order.pk}:{step}",
    )


def tell(users, order, step: str, title: str, body: str, *, link: str) -> None:
    notify(
        users,
        f"care.order_{step}",
        title,
        body,
        link=link,
        data={"order": order.pk, "status": order.status},
        dedupe_key=f"care-order:{order.pk}:{step}:staff",
    )
