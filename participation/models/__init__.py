"""红色礼享家 and 在社区当家: party members, the 党建联盟 (alliance units and their three lists), votes
and surveys. Each subject has its own module; the app's models are imported here."""

from participation.models.alliance import (
    Alliance,
    AllianceUnit,
    Need,
    Project,
    ProjectHistory,
    Resource,
    ResourceKind,
    UnitKind,
)
from participation.models.party import PartyMember, PartyMemberHistory, PartyReport
from participation.models.votes import Answer, Ballot, Option, Question, Response, Vote, VoteHistory

__all__ = [
    "Alliance",
    "AllianceUnit",
    "Answer",
    "Ballot",
    "Need",
    "Option",
    "PartyMember",
    "PartyMemberHistory",
    "PartyReport",
    "Project",
    "ProjectHistory",
    "Question",
    "Resource",
    "ResourceKind",
    "Response",
    "UnitKind",
    "Vote",
    "VoteHistory",
]
