"""What the market's services share: the order row lock and the workflow's edges."""

from linli.api.errors import InvalidTransition
from linli.workflow import can
from merchants.models import Order


def lock_order(order: Order) -> Order:
    return Order.objects.select_for_update().select_related("merchant", "user").get(pk=order.pk)


def refuse_unless_can(obj, action: str) -> None:
    """The workflow's 409 before the rest of the input is checked (`transition()` checks only when it moves)."""
    if not can(obj, action):
        label = type(obj).workflow.label(action)
        raise InvalidTransition(f"{obj._meta.verbose_name}当前为「{obj.get_status_display()}」，不能{label}")


def record_created(obj, action: str, *, actor=None, note: str = ""):
    """The first history row: from no status (`record_step()` records a step from the current one)."""
    history = type(obj).workflow.history_model
    return history.objects.create(
        **{history.subject_field: obj}, action=action, to_status=obj.status, actor=actor, note=note
    )
