from enforcement.models.cases import (
    Case,
    CaseAction,
    CaseHistory,
    CaseNumberCounter,
    PlatformCursor,
    PlatformUpdate,
    SandboxPush,
)
from enforcement.models.catalogue import Category, Domain, Empowerment, Matter, Scenario, Team
from enforcement.models.duty import DispatchOffer, OfficerPosition, Shift
from enforcement.models.geography import Boundary, LiaisonReport, LiaisonStation
from enforcement.models.inspections import (
    Finding,
    FindingPhoto,
    Inspection,
    InspectionAction,
    InspectionHistory,
    Target,
)
from enforcement.models.open311 import Open311Client
from enforcement.models.reports import (
    ProblemReport,
    ReportAction,
    ReportFollower,
    ReportHistory,
    ReportPhoto,
    ReportRequest,
    ReportRequestAction,
    ReportRequestHistory,
    SensorEpisode,
)
from enforcement.models.sync import SyncedRecord, SyncKind, SyncUpdate

__all__ = [
    "Boundary",
    "Case",
    "CaseAction",
    "CaseHistory",
    "CaseNumberCounter",
    "Category",
    "DispatchOffer",
    "Domain",
    "Empowerment",
    "Finding",
    "FindingPhoto",
    "Inspection",
    "InspectionAction",
    "InspectionHistory",
    "LiaisonReport",
    "LiaisonStation",
    "Matter",
    "OfficerPosition",
    "Open311Client",
    "PlatformCursor",
    "PlatformUpdate",
    "ProblemReport",
    "ReportAction",
    "ReportFollower",
    "ReportHistory",
    "ReportPhoto",
    "ReportRequest",
    "ReportRequestAction",
    "ReportRequestHistory",
    "SandboxPush",
    "Scenario",
    "SensorEpisode",
    "Shift",
    "SyncKind",
    "SyncUpdate",
    "SyncedRecord",
    "Target",
    "Team",
]
