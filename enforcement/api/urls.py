from django.urls import path
from rest_framework.routers import SimpleRouter

from enforcement.api import duty_views, reform_views, views

router = SimpleRouter()
router.register("enforcement/categories", views.CategoryViewSet, basename="enforcement-category")
router.register("enforcement/reports", views.ReportViewSet, basename="enforcement-report")
router.register("staff/enforcement/matters", views.MatterViewSet, basename="enforcement-matter")
router.register("staff/enforcement/teams", views.TeamViewSet, basename="enforcement-team")
router.register("staff/enforcement/reports", views.StaffReportViewSet, basename="staff-enforcement-report")
router.register("staff/enforcement/requests", views.ReportRequestViewSet, basename="staff-enforcement-request")
router.register("staff/enforcement/targets", views.TargetViewSet, basename="enforcement-target")
router.register("staff/enforcement/inspections", views.InspectionViewSet, basename="enforcement-inspection")
router.register("staff/enforcement/findings", views.FindingViewSet, basename="enforcement-finding")
router.register("staff/enforcement/cases", views.CaseViewSet, basename="enforcement-case")
router.register("staff/enforcement/scenarios", reform_views.ScenarioViewSet, basename="enforcement-scenario")
router.register("staff/enforcement/sync", reform_views.SyncedRecordViewSet, basename="enforcement-sync")
router.register("staff/enforcement/boundaries", duty_views.BoundaryViewSet, basename="enforcement-boundary")
router.register("staff/enforcement/stations", duty_views.StationViewSet, basename="enforcement-station")
router.register(
    "staff/enforcement/liaison-reports", duty_views.LiaisonReportViewSet, basename="enforcement-liaison-report"
)
router.register("staff/enforcement/shifts", duty_views.ShiftViewSet, basename="enforcement-shift")
router.register("staff/enforcement/offers", duty_views.OfferViewSet, basename="enforcement-offer")

urlpatterns = [
    path("staff/enforcement/stats/", views.StatsView.as_view(), name="enforcement-stats"),
    path("staff/enforcement/figures/", reform_views.FiguresView.as_view(), name="enforcement-figures"),
    path("staff/enforcement/position/", duty_views.PositionView.as_view(), name="enforcement-position"),
    *router.urls,
]
