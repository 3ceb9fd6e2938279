from property.models.fees import ArrearsReminder, Bill, BillHistory, FeeItem, FeeRate, Receipt, bill_amount_fen
from property.models.vehicles import ParkingPermit, Vehicle, VehicleHistory, normalise_plate

__all__ = [
    "ArrearsReminder",
    "Bill",
    "BillHistory",
    "FeeItem",
    "FeeRate",
    "ParkingPermit",
    "Receipt",
    "Vehicle",
    "VehicleHistory",
    "bill_amount_fen",
    "normalise_plate",
]
