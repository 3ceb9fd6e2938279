"""What the market's services share: the order row lock."""

from merchants.models import Order


def lock_order(order: Order) -> Order:
    return Order.objects.select_for_update().select_related("merchant", "user").get(pk=order.pk)
