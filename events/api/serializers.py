from decimal import Decimal

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from linli.api.fields import DateField, DateTimeField, MaskedPhoneField
from linli.api.serializers import ClockTimeField, ModelSerializer, UserRefSerializer
from linli.family.acting import context_user
from linli.regions.models import Community

from .. import selectors, services
from ..models import (
    CheckInScan,
    Event,
    EventSession,
    Feedback,
    Registration,
    SessionAttendance,
    Venue,
    VenueBooking,
    VenueOpeningHours,
)

BUSY_KINDS = [("event", "活动"), ("booking", "预约")]
CHECK_IN_RESULTS = [
    ("checked_in", "签到成功"),
    ("already_checked_in", "已签到过"),
    ("checked_out", "签退成功"),
    ("already_checked_out", "已签退过"),
]
WAITLIST_OUTCOMES = [
    ("promoted", "已递补"),
    ("skipped_party_too_large", "人数超过剩余名额，未递补"),
    ("not_reached", "名额由排在前面的候补递补，未轮到"),
]


# --- shared pieces ------------------------------------------------------------------------------


class EventCommunitySerializer(ModelSerializer):
    class Meta:
        model = Community
        fields = ["id", "name", "code"]
        read_only_fields = fields


class EventVenueSerializer(ModelSerializer):
    class Meta:
        model = Venue
        fields = ["id", "name", "location"]
        read_only_fields = fields


class EventSessionSerializer(ModelSerializer):
    class Meta:
        model = EventSession
        fields = ["index", "starts_at", "ends_at"]
        read_only_fields = fields


class MyRegistrationBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Registration.Status.choices)
    attendees = serializers.IntegerField()


class EventEligibilitySerializer(serializers.Serializer):
    eligible = serializers.BooleanField(help_text="Audience rules only (residency, age); not seats or dates")
    reason = serializers.CharField(
        allow_null=True, help_text="residents_only, birth_date_missing, too_young, too_old; null when eligible"
    )
    message = serializers.CharField(allow_null=True)


# --- resident: events -----------------------------------------------------------------------------

EVENT_FIELDS = [
    "id",
    "title",
    "description",
    "category",
    "status",
    "community",
    "communities",
    "venue",
    "location",
    "starts_at",
    "ends_at",
    "sessions_count",
    "final_ends_at",
    "registration_opens_at",
    "registration_closes_at",
    "cancellation_deadline",
    "capacity",
    "remaining",
    "waitlisted",
    "waitlist_enabled",
    "max_attendees_per_registration",
    "residents_only",
    "age_min",
    "age_max",
    "points_reward",
    "planned_hours",
    "completion_threshold",
    "award_per_session",
]


class EventCardSerializer(ModelSerializer):
    """The public part of an event in the resident list: the same for everyone who sees it (cached,
    see `EventViewSet.list`). Nothing of the viewer's own belongs here."""

    community = EventCommunitySerializer(read_only=True)
    communities = EventCommunitySerializer(many=True, read_only=True)
    venue = EventVenueSerializer(read_only=True, allow_null=True)
    registration_closes_at = DateTimeField(source="effective_registration_closes_at", read_only=True)
    cancellation_deadline = DateTimeField(source="effective_cancellation_deadline", read_only=True)
    remaining = serializers.SerializerMethodField(help_text="Seats still free (0 when full)")
    waitlisted = serializers.IntegerField(read_only=True, help_text="Registrations on the waitlist")

    class Meta:
        model = Event
        fields = EVENT_FIELDS
        read_only_fields = fields

    def get_remaining(self, event) -> int:
        return max(event.capacity - event.seats_taken, 0)


def my_registration_brief(registration: Registration | None) -> dict | None:
    if registration is None:
        return None
    return {"id": registration.pk, "status": registration.status, "attendees": registration.attendees}


def eligibility_of(event: Event, user, *, verified_resident: bool) -> dict:
    problem = services.eligibility_problem(event=event, user=user, verified_resident=verified_resident)
    return {"eligible": problem is None, "reason": problem and problem.reason, "message": problem and problem.message}


class EventSerializer(EventCardSerializer):
    """An event as a resident sees it (from `selectors.events_for_resident`: counters annotated, my registration
    and the communities prefetched): the card plus the viewer's own registration and eligibility."""

    my_registration = serializers.SerializerMethodField(help_text="My active registration, or null")
    eligibility = serializers.SerializerMethodField()

    class Meta(EventCardSerializer.Meta):
        fields = [*EVENT_FIELDS, "my_registration", "eligibility"]
        read_only_fields = fields

    @extend_schema_field(MyRegistrationBriefSerializer(allow_null=True))
    def get_my_registration(self, event):
        return my_registration_brief(selectors.my_registration(event))

    @extend_schema_field(EventEligibilitySerializer)
    def get_eligibility(self, event):
        user = context_user(self.context)
        return eligibility_of(event, user, verified_resident=selectors.verified_resident(event, user))


class EventDetailSerializer(EventSerializer):
    sessions = EventSessionSerializer(many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "sessions", "cancel_reason"]
        read_only_fields = fields


class EventRegisterSerializer(serializers.Serializer):
    attendees = serializers.IntegerField(
        min_value=1, max_value=20, default=1, help_text="People in the party, me included (≤ the event's limit)"
    )


# --- resident: registrations ----------------------------------------------------------------------


class EventBriefSerializer(ModelSerializer):
    community = EventCommunitySerializer(read_only=True)
    venue = EventVenueSerializer(read_only=True, allow_null=True)
    cancellation_deadline = DateTimeField(source="effective_cancellation_deadline", read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "category",
            "status",
            "community",
            "venue",
            "location",
            "starts_at",
            "ends_at",
            "sessions_count",
            "final_ends_at",
            "cancellation_deadline",
            "points_reward",
        ]
        read_only_fields = fields


class EventRegistrationSerializer(ModelSerializer):
    event = EventBriefSerializer(read_only=True)
    acted_by = UserRefSerializer(
        read_only=True, allow_null=True, help_text="The family member who registered for the resident (亲情账号)"
    )
    ticket = serializers.SerializerMethodField(
        help_text="Signed check-in code to show as a QR code; null unless confirmed or attended"
    )

    class Meta:
        model = Registration
        fields = [
            "id",
            "event",
            "attendees",
            "status",
            "acted_by",
            "ticket",
            "created_at",
            "confirmed_at",
            "cancelled_at",
            "checked_in_at",
        ]
        read_only_fields = fields

    def get_ticket(self, registration) -> str | None:
        if registration.status in (Registration.Status.CONFIRMED, Registration.Status.ATTENDED):
            return registration.ticket
        return None


class RegistrationStatusChangeSerializer(serializers.Serializer):
    from_status = serializers.CharField(help_text="Empty for the first entry")
    to_status = serializers.CharField()
    note = serializers.CharField()
    created_at = DateTimeField()


class WaitlistPromotedPartySerializer(serializers.Serializer):
    queue_position = serializers.IntegerField()
    attendees = serializers.IntegerField()


class WaitlistRoundSerializer(serializers.Serializer):
    at = DateTimeField(source="release.created_at")
    cause = serializers.CharField(source="release.cause", help_text="cancellation or capacity_increased")
    seats_freed = serializers.IntegerField(source="release.seats_freed")
    seats_available = serializers.IntegerField(source="release.seats_available")
    promoted = WaitlistPromotedPartySerializer(
        many=True, help_text="Who got the seats: queue position and party size only"
    )
    my_outcome = serializers.ChoiceField(choices=WAITLIST_OUTCOMES)
    my_queue_position = serializers.IntegerField(source="mine.queue_position", allow_null=True, default=None)
    explanation = serializers.CharField()


class RegistrationAttendanceSerializer(serializers.Serializer):
    sessions_attended = serializers.ListField(
        child=serializers.IntegerField(), help_text="Indexes of sessions attended"
    )
    sessions_held = serializers.IntegerField(help_text="Sessions that have started by now")
    sessions_total = serializers.IntegerField()
    rate_so_far = serializers.IntegerField(allow_null=True, help_text="% attended of the sessions held so far")
    rate = serializers.IntegerField(help_text="% attended of all sessions (what completion is decided on)")
    completion_threshold = serializers.IntegerField(help_text="% needed to complete a course")
    completed_at = DateTimeField(allow_null=True, help_text="When the course was completed (its end); null if not")
    hours = serializers.DecimalField(max_digits=6, decimal_places=1, help_text="Volunteering: hours credited")


class EventRegistrationDetailSerializer(EventRegistrationSerializer):
    event = EventBriefSerializer(read_only=True)
    sessions = EventSessionSerializer(source="event.sessions", many=True, read_only=True)
    waitlist_position = serializers.SerializerMethodField(help_text="1 = next in line; null unless waitlisted")
    history = RegistrationStatusChangeSerializer(many=True, read_only=True)
    waitlist_rounds = serializers.SerializerMethodField(
        help_text="Every promotion round held while I waited, and why I was (not) promoted"
    )
    attendance = serializers.SerializerMethodField(
        help_text="Volunteering and courses (attendance per session); null for other events"
    )

    class Meta(EventRegistrationSerializer.Meta):
        fields = [
            *EventRegistrationSerializer.Meta.fields,
            "sessions",
            "waitlist_position",
            "history",
            "waitlist_rounds",
            "attendance",
        ]
        read_only_fields = fields

    def get_waitlist_position(self, registration) -> int | None:
        return selectors.waitlist_position(registration)

    @extend_schema_field(WaitlistRoundSerializer(many=True))
    def get_waitlist_rounds(self, registration):
        return WaitlistRoundSerializer(selectors.waitlist_rounds(registration), many=True).data

    @extend_schema_field(RegistrationAttendanceSerializer(allow_null=True))
    def get_attendance(self, registration):
        if not registration.event.tracks_sessions:
            return None
        return RegistrationAttendanceSerializer(selectors.registration_attendance(registration)).data


class EventFeedbackInputSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")


class EventFeedbackSerializer(ModelSerializer):
    class Meta:
        model = Feedback
        fields = ["id", "rating", "comment", "created_at"]
        read_only_fields = fields


# --- staff ----------------------------------------------------------------------------------------


class EventForStaffSerializer(EventSerializer):
    """An event as its community staff see it, with counters."""

    registration_opens_at = DateTimeField(read_only=True, allow_null=True)
    registration_closes_at = DateTimeField(read_only=True, allow_null=True)
    cancellation_deadline = DateTimeField(read_only=True, allow_null=True)
    seats_taken = serializers.IntegerField(read_only=True)
    attended = serializers.IntegerField(read_only=True)
    feedback_count = serializers.IntegerField(read_only=True)
    feedback_average = serializers.FloatField(read_only=True, allow_null=True, help_text="Average rating 1–5")
    sessions = EventSessionSerializer(many=True, read_only=True)

    class Meta:
        model = Event
        fields = [
            *EVENT_FIELDS,
            "seats_taken",
            "attended",
            "feedback_count",
            "feedback_average",
            "sessions",
            "published_at",
            "cancelled_at",
            "cancel_reason",
            "finished_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class EventWriteSerializer(serializers.Serializer):
    """Create (POST) or change (PATCH) an event. For a weekly course, starts_at/ends_at are the first
    session and `sessions_count` the number of weeks."""

    community = serializers.PrimaryKeyRelatedField(
        queryset=Community.objects.all(),
        required=False,
        help_text="Organising community (one where I am staff); may be left out when I am staff of one only",
    )
    communities = serializers.PrimaryKeyRelatedField(
        queryset=Community.objects.all(),
        many=True,
        required=False,
        help_text="More communities whose residents may join (ones where I am staff)",
    )
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(allow_blank=True, required=False)
    category = serializers.ChoiceField(choices=Event.Category.choices, required=False)
    venue = serializers.PrimaryKeyRelatedField(queryset=Venue.objects.all(), allow_null=True, required=False)
    location = serializers.CharField(max_length=100, allow_blank=True, required=False)
    starts_at = DateTimeField()
    ends_at = DateTimeField()
    sessions_count = serializers.IntegerField(min_value=1, max_value=services.MAX_SESSIONS, required=False)
    registration_opens_at = DateTimeField(allow_null=True, required=False)
    registration_closes_at = DateTimeField(allow_null=True, required=False)
    cancellation_deadline = DateTimeField(allow_null=True, required=False)
    capacity = serializers.IntegerField(min_value=1, max_value=100_000)
    waitlist_enabled = serializers.BooleanField(required=False)
    max_attendees_per_registration = serializers.IntegerField(min_value=1, max_value=20, required=False)
    residents_only = serializers.BooleanField(required=False)
    age_min = serializers.IntegerField(min_value=0, max_value=services.MAX_AGE, allow_null=True, required=False)
    age_max = serializers.IntegerField(min_value=0, max_value=services.MAX_AGE, allow_null=True, required=False)
    points_reward = serializers.IntegerField(min_value=0, max_value=10_000, required=False)
    planned_hours = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal("24"),
        allow_null=True,
        required=False,
        help_text="志愿服务: hours credited at most per session (half hours); null: the session's length",
    )
    completion_threshold = serializers.IntegerField(
        min_value=1, max_value=100, required=False, help_text="Courses: attendance rate (%) needed to complete"
    )
    award_per_session = serializers.BooleanField(
        required=False, help_text="Courses: points by the rule class_attended at each session's check-in"
    )

    def validate_community(self, community):
        if community.pk not in self.context["staff_community_ids"]:
            raise serializers.ValidationError("您不是该社区的工作人员")
        return community

    def validate_communities(self, communities):
        foreign = [c.name for c in communities if c.pk not in self.context["staff_community_ids"]]
        if foreign:
            raise serializers.ValidationError(f"您不是这些社区的工作人员：{'、'.join(foreign)}")
        return communities


class EventCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class EventRosterRowSerializer(ModelSerializer):
    """A roster row. The phone is masked unless the serializer context reveals it (the CSV roster does)."""

    name = serializers.CharField(source="user.display_name", read_only=True)
    phone = MaskedPhoneField(source="user.phone")

    class Meta:
        model = Registration
        fields = ["id", "name", "phone", "attendees", "status", "created_at", "confirmed_at", "checked_in_at"]
        read_only_fields = fields


class EventCheckInInputSerializer(serializers.Serializer):
    ticket = serializers.CharField(max_length=200, help_text="The code read from the resident's QR code")
    nonce = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="Any unique string per scan: a retry with the same nonce replays the first answer",
    )


class EventCheckedInRegistrationSerializer(ModelSerializer):
    name = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = Registration
        fields = ["id", "name", "attendees", "status", "checked_in_at"]
        read_only_fields = fields


class ScanAttendanceSerializer(ModelSerializer):
    class Meta:
        model = SessionAttendance
        fields = ["id", "status", "checked_in_at", "checked_out_at", "hours"]
        read_only_fields = fields


class EventCheckInResultSerializer(ModelSerializer):
    result = serializers.ChoiceField(source="outcome", choices=CHECK_IN_RESULTS)
    already_checked_in = serializers.SerializerMethodField()
    registration = EventCheckedInRegistrationSerializer(read_only=True)
    session = EventSessionSerializer(read_only=True, allow_null=True, help_text="Volunteering and courses: the session")
    attendance = serializers.SerializerMethodField(
        help_text="Volunteering and courses: the session attendance (hours credited after check-out)"
    )
    scanned_at = DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = CheckInScan
        fields = [
            "result",
            "already_checked_in",
            "points_awarded",
            "registration",
            "session",
            "attendance",
            "scanned_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ScanAttendanceSerializer(allow_null=True))
    def get_attendance(self, scan):
        if scan.session_id is None or scan.registration_id is None:
            return None
        row = SessionAttendance.objects.filter(registration_id=scan.registration_id, session_id=scan.session_id).first()
        return ScanAttendanceSerializer(row).data if row else None

    def get_already_checked_in(self, scan) -> bool:
        return scan.outcome == CheckInScan.Outcome.ALREADY_CHECKED_IN


class EventFeedbackForStaffSerializer(ModelSerializer):
    name = serializers.CharField(source="registration.user.display_name", read_only=True)

    class Meta:
        model = Feedback
        fields = ["id", "rating", "comment", "name", "created_at"]
        read_only_fields = fields


# --- venues ---------------------------------------------------------------------------------------


class VenueOpeningHoursSerializer(ModelSerializer):
    opens_at = ClockTimeField(read_only=True)
    closes_at = ClockTimeField(read_only=True)

    class Meta:
        model = VenueOpeningHours
        fields = ["weekday", "opens_at", "closes_at"]
        read_only_fields = fields


class VenueSerializer(ModelSerializer):
    community = EventCommunitySerializer(read_only=True)
    opening_hours = VenueOpeningHoursSerializer(many=True, read_only=True, help_text="weekday 0 = Monday")

    class Meta:
        model = Venue
        fields = [
            "id",
            "community",
            "name",
            "location",
            "capacity",
            "description",
            "residents_may_book",
            "max_booking_minutes",
            "opening_hours",
        ]
        read_only_fields = fields


class VenueAvailabilityQuerySerializer(serializers.Serializer):
    date = DateField(required=False, help_text="Local date (Asia/Shanghai) within a year of today; today when left out")

    def validate_date(self, value):
        today = timezone.localdate()
        if abs((value - today).days) > 366:
            raise serializers.ValidationError("只能查询一年内的日期")
        return value


class VenueSlotSerializer(serializers.Serializer):
    starts_at = DateTimeField()
    ends_at = DateTimeField()


class VenueBusySlotSerializer(VenueSlotSerializer):
    kind = serializers.ChoiceField(choices=BUSY_KINDS)
    label = serializers.CharField(help_text="An event's title, or 已预约 for a booking")


class VenueAvailabilitySerializer(serializers.Serializer):
    venue = EventVenueSerializer()
    date = DateField()
    opening_hours = VenueSlotSerializer(many=True)
    busy = VenueBusySlotSerializer(many=True)
    free = VenueSlotSerializer(many=True, help_text="Bookable gaps from now on")


class VenueBookingInputSerializer(serializers.Serializer):
    starts_at = DateTimeField()
    ends_at = DateTimeField()
    purpose = serializers.CharField(max_length=100)


class VenueBookingSerializer(ModelSerializer):
    venue = EventVenueSerializer(read_only=True)
    community = EventCommunitySerializer(source="venue.community", read_only=True)

    class Meta:
        model = VenueBooking
        fields = ["id", "venue", "community", "starts_at", "ends_at", "purpose", "status", "created_at", "cancelled_at"]
        read_only_fields = fields
