"""Writes with business rules: household verification, the work-order loop, announcements.

Work orders and verifications move through `linli.workflow` (the tables are on the models): each
step writes a history row (who, when, from, to, note; for work orders also the time since the
previous step) and the other side hears of it through `notify()`.

The writes live in modules by subject (households, work_orders, announcements); callers import them
from here: `from residents import services`.
"""

from .announcements import (
    announcement_create,
    announcement_delete,
    announcement_mark_read,
    announcement_update,
)
from .households import (
    AlreadyVerified,
    VerificationPending,
    household_leave,
    household_members,
    verification_approve,
    verification_reject,
    verification_submit,
)
from .work_orders import (
    AUTO_CLOSE_AFTER,
    MAX_PHOTOS,
    work_order_assign,
    work_order_auto_close,
    work_order_cancel,
    work_order_confirm,
    work_order_escalate,
    work_order_follow_up,
    work_order_reopen,
    work_order_resolve,
    work_order_start,
    work_order_submit,
    work_order_transition,
    work_orders_auto_close_due,
    work_orders_escalate_overdue,
)

__all__ = [
    "AUTO_CLOSE_AFTER",
    "MAX_PHOTOS",
    "AlreadyVerified",
    "VerificationPending",
    "announcement_create",
    "announcement_delete",
    "announcement_mark_read",
    "announcement_update",
    "household_leave",
    "household_members",
    "verification_approve",
    "verification_reject",
    "verification_submit",
    "work_order_assign",
    "work_order_auto_close",
    "work_order_cancel",
    "work_order_confirm",
    "work_order_escalate",
    "work_order_follow_up",
    "work_order_reopen",
    "work_order_resolve",
    "work_order_start",
    "work_order_submit",
    "work_order_transition",
    "work_orders_auto_close_due",
    "work_orders_escalate_overdue",
]
