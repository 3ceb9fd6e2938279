"""Routes of the participation app: each subject registers its own (party members and the alliance
here; votes and surveys add theirs)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from participation.api import alliance, party, stats, votes

router = SimpleRouter()
# 党员
router.register("participation/party-members", party.PartyMemberViewSet, basename="party-member")
router.register("staff/participation/party-members", party.StaffPartyMemberViewSet, basename="staff-party-member")
router.register("staff/participation/party-reports", party.StaffPartyReportViewSet, basename="staff-party-report")
# 党建联盟
router.register("participation/resources", alliance.ResourceViewSet, basename="alliance-resource")
router.register("participation/projects", alliance.ProjectViewSet, basename="alliance-project")
router.register("staff/participation/alliances", alliance.StaffAllianceViewSet, basename="staff-alliance")
router.register("staff/participation/resources", alliance.StaffResourceViewSet, basename="staff-alliance-resource")
router.register("staff/participation/needs", alliance.StaffNeedViewSet, basename="staff-alliance-need")
router.register("staff/participation/projects", alliance.StaffProjectViewSet, basename="staff-alliance-project")
router.register("alliance/resources", alliance.UnitResourceViewSet, basename="unit-resource")
router.register("alliance/projects", alliance.UnitProjectViewSet, basename="unit-project")
# 在社区当家: votes and surveys
router.register("participation/votes", votes.VoteViewSet, basename="participation-vote")
router.register("staff/participation/votes", votes.StaffVoteViewSet, basename="staff-participation-vote")

urlpatterns = [
    path("staff/participation/stats/", stats.StatsView.as_view(), name="participation-stats"),
    *router.urls,
]
