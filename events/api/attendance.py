"""Attendance per session and volunteer hours: the volunteer's own profile and hours, and staff's
per-activity attendance, closing and adjusting (check-in and check-out are in views.StaffEventViewSet)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, serializers
from rest_framework.decorators import action

from linli.accounts.models import Role
from linli.api.fields import DateTimeField
from linli.api.permissions import has_role
from linli.api.serializers import ModelSerializer
from linli.api.views import ApiView, ApiViewSet

from .. import selectors, services, volunteering
from ..filters import AttendanceFilterSet, VolunteerHoursFilterSet
from ..models import Event, HoursAdjustment, SessionAttendance
from .serializers import EventSessionSerializer

HOURS = {"max_digits": 6, "decimal_places": 1}


# --- serializers ------------------------------------------------------------------------------------


class HoursAdjustmentSerializer(ModelSerializer):
    adjusted_by = serializers.CharField(source="adjusted_by.display_name", read_only=True, allow_null=True)

    class Meta:
        model = HoursAdjustment
        fields = ["id", "hours_before", "hours_after", "reason", "adjusted_by", "created_at"]
        read_only_fields = fields


class EventBriefForHoursSerializer(ModelSerializer):
    community = serializers.CharField(source="community.name", read_only=True)

    class Meta:
        model = Event
        fields = ["id", "title", "community", "planned_hours"]
        read_only_fields = fields


class MyVolunteerHoursSerializer(ModelSerializer):
    """One of my volunteer sessions: when I checked in and out, and the hours credited (after adjustments)."""

    event = EventBriefForHoursSerializer(read_only=True)
    session = EventSessionSerializer(read_only=True)
    adjustments = HoursAdjustmentSerializer(many=True, read_only=True)

    class Meta:
        model = SessionAttendance
        fields = ["id", "event", "session", "status", "checked_in_at", "checked_out_at", "hours", "adjustments"]
        read_only_fields = fields


class VolunteerYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    hours = serializers.DecimalField(**HOURS)
    sessions = serializers.IntegerField()
    activities = serializers.IntegerField()


class VolunteerActivitySerializer(serializers.Serializer):
    event_id = serializers.IntegerField()
    title = serializers.CharField()
    community = serializers.CharField()
    starts_at = DateTimeField()
    hours = serializers.DecimalField(**HOURS)
    sessions = serializers.IntegerField()


class VolunteerProfileSerializer(serializers.Serializer):
    total_hours = serializers.DecimalField(**HOURS, help_text="Every volunteer session, after adjustments")
    sessions = serializers.IntegerField()
    activities = serializers.IntegerField()
    by_year = VolunteerYearSerializer(many=True, help_text="Newest year first (years in Asia/Shanghai)")
    recent_activities = VolunteerActivitySerializer(many=True, help_text="The latest 20 activities")
    summary_url = serializers.SerializerMethodField(
        help_text="The printable summary (HTML, for a <web-view>): a signed link, valid 24 hours"
    )
    summary_url_expires_at = serializers.SerializerMethodField()

    def get_summary_url(self, profile) -> str:
        return volunteering.summary_url(profile.user, self.context.get("request"))

    def get_summary_url_expires_at(self, profile) -> str:
        return DateTimeField().to_representation(volunteering.link_expires_at())


class AttendanceForStaffSerializer(ModelSerializer):
    """One registrant at one session of an event I manage."""

    name = serializers.CharField(source="user.display_name", read_only=True)
    event = serializers.IntegerField(source="event_id", read_only=True)
    session = EventSessionSerializer(read_only=True)
    checked_in_by = serializers.CharField(source="checked_in_by.display_name", read_only=True, allow_null=True)
    checked_out_by = serializers.CharField(source="checked_out_by.display_name", read_only=True, allow_null=True)
    adjustments = HoursAdjustmentSerializer(many=True, read_only=True)

    class Meta:
        model = SessionAttendance
        fields = [
            "id",
            "event",
            "registration",
            "name",
            "session",
            "status",
            "checked_in_at",
            "checked_in_by",
            "checked_out_at",
            "checked_out_by",
            "computed_hours",
            "hours",
            "adjustments",
        ]
        read_only_fields = fields


class HoursAdjustInputSerializer(serializers.Serializer):
    hours = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0, max_value=24)
    reason = serializers.CharField(max_length=200)


# --- residents --------------------------------------------------------------------------------------


class MyVolunteerProfileView(ApiView):
    """My volunteer profile: total hours, by year, the latest activities, and the printable summary's link."""

    schema_topic = "志愿服务"

    @extend_schema(
        summary="My volunteer profile (hours by year, activities, printable summary link)",
        responses={200: VolunteerProfileSerializer},
    )
    def get(self, request):
        return self.respond(VolunteerProfileSerializer, selectors.volunteer_profile(request.user))


@extend_schema_view(get=extend_schema(summary="My volunteer sessions and the hours credited, newest first"))
class MyVolunteerHoursView(generics.ListAPIView):
    schema_topic = "志愿服务"
    serializer_class = MyVolunteerHoursSerializer
    filterset_class = VolunteerHoursFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SessionAttendance.objects.none()
        return selectors.volunteer_hours_of(self.request.user)


# --- staff ------------------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(summary="Attendance per session of an event I manage (volunteer hours, course attendance)")
)
class StaffEventAttendancesView(generics.ListAPIView):
    schema_topic = "志愿服务"
    permission_classes = [has_role(Role.COMMUNITY_STAFF)]
    serializer_class = AttendanceForStaffSerializer
    filterset_class = AttendanceFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SessionAttendance.objects.none()
        event = get_object_or_404(selectors.events_for_staff(self.request.user), pk=self.kwargs["id"])
        return selectors.event_attendances(event)


@extend_schema_view(retrieve=extend_schema(summary="One attendance of an event I manage, with its adjustments"))
class StaffAttendanceViewSet(mixins.RetrieveModelMixin, ApiViewSet):
    """Attendances of the events of my communities (others' are 404): close one nobody checked out, adjust hours."""

    schema_topic = "志愿服务"
    permission_classes = [has_role(Role.COMMUNITY_STAFF)]
    serializer_class = AttendanceForStaffSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.attendances_for_staff(self.request.user)

    def _output(self, attendance):
        return self.respond(AttendanceForStaffSerializer, self.get_queryset().get(pk=attendance.pk))

    @extend_schema(
        summary="Close a volunteer's session nobody checked out (补签退)",
        description=(
            "Credits the hours as if the volunteer had checked out at the session's scheduled end (or now, if "
            "earlier), capped by the planned hours and rounded down to the half hour; points by the rule "
            "`volunteer_hour`. 409 `already_checked_out` (already checked out or closed), `check_out_not_used` "
            "(not a volunteer activity)."
        ),
        request=None,
        responses={200: AttendanceForStaffSerializer},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._output(services.attendance_close(attendance=self.get_object(), actor=request.user))

    @extend_schema(
        summary="Set a volunteer's credited hours, with a reason (audited)",
        description=(
            "Half hours, 0–24. Every change is kept (who, before, after, why) in `adjustments`. Hours added earn "
            "points by the rule `volunteer_hour`; hours taken away do not take points back. 409 `attendance_open` "
            "(check out or close first), `not_volunteering`; 400 `validation_error`."
        ),
        request=HoursAdjustInputSerializer,
        responses={200: AttendanceForStaffSerializer},
    )
    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None):
        data = self.validated(HoursAdjustInputSerializer)
        adjustment = services.attendance_adjust_hours(
            attendance=self.get_object(), actor=request.user, hours=data["hours"], reason=data["reason"]
        )
        return self._output(adjustment.attendance)
