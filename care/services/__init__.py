"""Every write of home care, by subject (`from care import services`, `services.care_order_place(...)`):

* `orders` — care orders: place (subsidy first, the rest online), dispatch, check in/out, rate, cancel;
* `subsidy` — 养老服务补贴: eligibility, the monthly grant, expiry, the ledger;
* `visits` — the visit roster for elders living alone, visits, missed-visit escalation;
* `providers` — a provider's managers and care workers.
* `alarms` — 一键呼叫: device bindings, alarms raised by devices, escalation, the response
  (`from care.services import alarms`);
* `childcare` — 托育: children, applications with a waitlist, monthly fee bills
  (`from care.services import childcare`).
"""

from care.services.orders import (
    PURPOSE,
    CareServiceUnavailable,
    NoHomeInCommunity,
    cancellation_fee_fen,
    care_order_cancel,
    care_order_check_in,
    care_order_check_out,
    care_order_dispatch,
    care_order_pay,
    care_order_place,
    care_order_rate,
    on_payment_ended,
    on_payment_succeeded,
    on_refund_succeeded,
)
from care.services.providers import provider_member_add
from care.services.subsidy import (
    SubsidyInsufficient,
    subsidies_expire,
    subsidies_grant_monthly,
    subsidy_account_set,
    subsidy_expire,
    subsidy_grant,
)
from care.services.visits import (
    visit_check_in,
    visit_check_out,
    visit_escalate,
    visit_plan_create,
    visit_plan_end,
    visits_escalate_missed,
    visits_generate,
)

__all__ = [
    "PURPOSE",
    "CareServiceUnavailable",
    "NoHomeInCommunity",
    "SubsidyInsufficient",
    "cancellation_fee_fen",
    "care_order_cancel",
    "care_order_check_in",
    "care_order_check_out",
    "care_order_dispatch",
    "care_order_pay",
    "care_order_place",
    "care_order_rate",
    "on_payment_ended",
    "on_payment_succeeded",
    "on_refund_succeeded",
    "provider_member_add",
    "subsidies_expire",
    "subsidies_grant_monthly",
    "subsidy_account_set",
    "subsidy_expire",
    "subsidy_grant",
    "visit_check_in",
    "visit_check_out",
    "visit_escalate",
    "visit_plan_create",
    "visit_plan_end",
    "visits_escalate_missed",
    "visits_generate",
]
