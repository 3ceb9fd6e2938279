"""一老一小 home care: providers and their care workers, the service catalogue, care orders, the
养老服务补贴 ledger and visits to elders living alone.

A provider's people are platform memberships scoped to it, like a merchant's members:
`Membership(role=CARE_WORKER, scope=<Provider>, position="manager" | "worker")` — a manager dispatches
the provider's orders, a worker serves the ones assigned to them. Neither sees another provider's.
"""

from care.models.alarms import Alarm, AlarmHistory, AlarmOutcome, CareDevice
from care.models.childcare import Child, ChildcareClass, Enrolment, EnrolmentHistory, FeeBill
from care.models.orders import CareOrder, CareOrderHistory, CareOrderPhoto
from care.models.providers import CareService, Provider, ProviderPosition, ServiceKind
from care.models.subsidy import SubsidyAccount, SubsidyEntry
from care.models.visits import Visit, VisitHistory, VisitPlan

__all__ = [
    "Alarm",
    "AlarmHistory",
    "AlarmOutcome",
    "CareDevice",
    "CareOrder",
    "CareOrderHistory",
    "CareOrderPhoto",
    "CareService",
    "Child",
    "ChildcareClass",
    "Enrolment",
    "EnrolmentHistory",
    "FeeBill",
    "Provider",
    "ProviderPosition",
    "ServiceKind",
    "SubsidyAccount",
    "SubsidyEntry",
    "Visit",
    "VisitHistory",
    "VisitPlan",
]
