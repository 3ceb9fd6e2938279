"""The one way a status changes (docs/architecture.md, "Status flows").

A model declares its transition table; services call `transition()`:

    class WorkOrder(models.Model):
        workflow = Workflow(
            actions=WorkOrderHistory.Action,
            transitions={
                Action.START: ({Status.ASSIGNED}, Status.IN_PROGRESS),
                Action.CANCEL: ({Status.SUBMITTED}, Status.CANCELLED),
            },
            history="residents.WorkOrderHistory",
        )

    transition(order, Action.START, actor=user, note="到场")   # → the history row

`transition()` locks the row (unless the caller already did with `lock()`), checks the table,
saves the new status with any field `changes`, and writes one history row (a concrete subclass of
`linli.workflow.models.StatusChange`). An action the table does not allow from the current status
raises `InvalidTransition` — HTTP 409 `invalid_transition` with a Chinese message naming the
current status (and `"status"` in the error body). `check()` raises the same error early, for a
service that must refuse on the status before it looks at the rest of the request; `refuse(obj,
"再记录问题")` builds it for a step the status forbids that is not in the table.
`record_step()` writes a history row for a step that does not move the status (a note, an
escalation, a reminder; with `from_status=""` the step that created the object).
"""

from linli.workflow.engine import (
    InvalidTransition,
    Workflow,
    available_actions,
    can,
    check,
    lock,
    record_step,
    refuse,
    transition,
)

__all__ = [
    "InvalidTransition",
    "Workflow",
    "available_actions",
    "can",
    "check",
    "lock",
    "record_step",
    "refuse",
    "transition",
]
