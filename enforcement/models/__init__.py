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
from enforcement.models.inspections import Finding, Inspection, InspectionAction, InspectionHistory, Target
from enforcement.models.open311 import Open311Client
from enforcement.models.reports import (
    ProblemReport,
    ReportAction,
    ReportFollower,
    ReportHistory,
    ReportRequest,
    ReportRequestAction,
    ReportRequestHistory,
    SensorEpisode,
)

__all__ = [
    "Case",
    "CaseAction",
    "CaseHistory",
    "CaseNumberCounter",
    "Category",
    "Domain",
    "Empowerment",
    "Finding",
    "Inspection",
    "InspectionAction",
    "InspectionHistory",
    "Matter",
    "Open311Client",
    "PlatformCursor",
    "PlatformUpdate",
    "ProblemReport",
    "ReportAction",
    "ReportFollower",
    "ReportHistory",
    "ReportRequest",
    "ReportRequestAction",
    "ReportRequestHistory",
    "SandboxPush",
    "Scenario",
    "SensorEpisode",
    "Target",
    "Team",
]
