"""Writes of the points app. The ledger (`award`, `spend`, `refund`) is what other apps call; the
redemption catalogue and staff's manual adjustments are written through `redemption` and `adjustments`."""

from linli.points.services.ledger import InsufficientPoints, award, lock_account, refund, spend

__all__ = ["InsufficientPoints", "award", "lock_account", "refund", "spend"]
