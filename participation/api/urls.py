from rest_framework.routers import SimpleRouter

from participation.api import votes

router = SimpleRouter()
# 在社区当家: votes and surveys
router.register("participation/votes", votes.VoteViewSet, basename="participation-vote")
router.register("staff/participation/votes", votes.StaffVoteViewSet, basename="staff-participation-vote")

urlpatterns = [*router.urls]
