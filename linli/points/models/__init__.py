"""邻礼积分: the ledger, the earning rules that feed it and the redemption catalogue that spends it."""

from linli.points.models.earning import EarningAward, EarningRule, EarningRuleKey
from linli.points.models.ledger import PointsAccount, PointsEntry

__all__ = ["EarningAward", "EarningRule", "EarningRuleKey", "PointsAccount", "PointsEntry"]
