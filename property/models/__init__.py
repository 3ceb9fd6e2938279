from property.models.fees import ArrearsReminder, Bill, BillHistory, FeeItem, FeeRate, Receipt, bill_amount_fen
from property.models.gate import GateDevice, GateEntry, PlateRead, VisitorPass
from property.models.vehicles import ParkingPermit, Vehicle, VehicleHistory, normalise_plate

__all__ = [
    "ArrearsReminder",
    "Bill",
    "BillHistory",
    "FeeItem",
    "FeeRate",
    "GateDevice",
    "GateEntry",
    "ParkingPermit",
    "PlateRead",
    "Receipt",
    "Vehicle",
    "VehicleHistory",
    "VisitorPass",
    "bill_amount_fen",
    "normalise_plate",
]
