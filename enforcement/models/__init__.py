from enforcement.models.cases import Case, CaseEvent, CaseNumberCounter, PlatformCursor, PlatformUpdate, SandboxPush
from enforcement.models.catalogue import Category, Domain, Empowerment, Matter, Scenario, Team
from enforcement.models.inspections import Finding, FindingPhoto, Inspection, Target
from enforcement.models.open311 import Open311Client
from enforcement.models.reports import (
    ProblemReport,
    ReportEvent,
    ReportFollower,
    ReportPhoto,
    ReportRequest,
    SensorEpisode,
)

__all__ = [
    "Case",
    "CaseEvent",
    "CaseNumberCounter",
    "Category",
    "Domain",
    "Empowerment",
    "Finding",
    "FindingPhoto",
    "Inspection",
    "Matter",
    "Open311Client",
    "PlatformCursor",
    "PlatformUpdate",
    "ProblemReport",
    "ReportEvent",
    "ReportFollower",
    "ReportPhoto",
    "ReportRequest",
    "SandboxPush",
    "Scenario",
    "SensorEpisode",
    "Target",
    "Team",
]
