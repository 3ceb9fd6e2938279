"""A resident's review of a completed order."""

from django.db import IntegrityError, transaction

from linli.accounts.models import User
from linli.api.errors import ConflictError, ForbiddenError, InvalidTransition
from merchants.models import Order, Review
from merchants.services._common import lock_order


@transaction.atomic
def review_create(*, order: Order, user: User, rating: int, content: str = "") -> Review:
    order = lock_order(order)
    if order.user_id != user.pk:
        raise ForbiddenError()
    if order.status != Order.Status.COMPLETED:
        raise InvalidTransition("订单完成后才能评价")
    try:
        with transaction.atomic():
            return Review.objects.create(
                order=order, user=user, merchant=order.merchant, rating=rating, content=content
            )
    except IntegrityError:
        raise ConflictError("该订单已评价", code="already_reviewed") from None
