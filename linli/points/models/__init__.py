"""邻礼积分: the ledger, the earning rules that feed it, the redemption catalogue that spends it, and
staff's manual adjustments."""

from linli.points.models.adjustments import DEFAULT_MONTHLY_LIMIT, AdjustmentLimit, ManualAdjustment
from linli.points.models.earning import EarningAward, EarningRule, EarningRuleKey
from linli.points.models.ledger import PointsAccount, PointsEntry
from linli.points.models.redemption import Redemption, RedemptionHistory, RedemptionItem, RedemptionKind

__all__ = [
    "DEFAULT_MONTHLY_LIMIT",
    "AdjustmentLimit",
    "EarningAward",
    "EarningRule",
    "EarningRuleKey",
    "ManualAdjustment",
    "PointsAccount",
    "PointsEntry",
    "Redemption",
    "RedemptionHistory",
    "RedemptionItem",
    "RedemptionKind",
]
