import logging
from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from linli.accounts.models import Role
from linli.accounts.selectors import community_ids_for
from linli.api.errors import field_error
from linli.api.permissions import has_role
from linli.api.views import ApiViewSet, SharedListMixin
from linli.family.acting import ActingViewMixin
from linli.family.models import Permission

from .. import cache as event_cache
from .. import selectors, services
from ..filters import (
    BookingFilterSet,
    EventFilterSet,
    FeedbackFilterSet,
    MyRegistrationFilterSet,
    RosterFilterSet,
    StaffEventFilterSet,
    VenueFilterSet,
)
from ..models import CheckInScan, Event, Feedback, Registration, VenueBooking
from .renderers import CSVErrorsAsJSONMixin, CSVRenderer
from .serializers import (
    EventCancelSerializer,
    EventCardSerializer,
    EventCheckInInputSerializer,
    EventCheckInResultSerializer,
    EventDetailSerializer,
    EventFeedbackForStaffSerializer,
    EventFeedbackInputSerializer,
    EventFeedbackSerializer,
    EventForStaffSerializer,
    EventRegisterSerializer,
    EventRegistrationDetailSerializer,
    EventRegistrationSerializer,
    EventRosterRowSerializer,
    EventSerializer,
    EventWriteSerializer,
    VenueAvailabilityQuerySerializer,
    VenueAvailabilitySerializer,
    VenueBookingInputSerializer,
    VenueBookingSerializer,
    VenueSerializer,
    eligibility_of,
    my_registration_brief,
)

logger = logging.getLogger(__name__)


def _audience(card: dict) -> Event:
    """An unsaved Event with what eligibility looks at, from a cached card."""
    return Event(
        residents_only=card["residents_only"],
        age_min=card["age_min"],
        age_max=card["age_max"],
        starts_at=parse_datetime(card["starts_at"]),
    )


# --- residents: events ----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Upcoming events I may see, soonest first"),
    retrieve=extend_schema(summary="One event, with its sessions"),
)
class EventViewSet(ActingViewMixin, SharedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Published events I may join, with remaining seats and my own registration. With `?on_behalf_of=`
    (亲情账号, permission act_for): the events, eligibility and registration of the elder I act for."""

    schema_topic = "活动"
    filterset_class = EventFilterSet
    lookup_value_regex = r"\d+"
    acting_actions = dict.fromkeys(["list", "retrieve", "register", "cancel_registration"], Permission.ACT_FOR)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Event.objects.none()
        if self.action == "list":
            return selectors.upcoming_events_for_resident(self.beneficiary)
        return selectors.event_detail_for_resident(self.beneficiary)

    def get_serializer_class(self):
        return EventSerializer if self.action == "list" else EventDetailSerializer

    # The list's public cards come from the shared cache (SharedListMixin), built once for everyone
    # with the same communities, filters and page; the viewer's own registration and eligibility are
    # added per request (the elder's with `?on_behalf_of=`).
    shared_list_kind = event_cache.EVENT_CARDS  # events/cache.py: the writes that replace a page

    def shared_list_key(self):
        return tuple(sorted(community_ids_for(self.beneficiary)))  # which residents-only events it holds

    def shared_list_queryset(self, key):
        return selectors.upcoming_event_cards(self.beneficiary)

    def shared_list_serializer(self, page, **kwargs):
        return EventCardSerializer(page, context=self.get_serializer_context(), **kwargs)

    def shared_list_ends_at(self, queryset, key):
        # "Upcoming" changes when one of these events ends, not with a write: the entry ends with the first.
        return queryset.order_by("final_ends_at").values_list("final_ends_at", flat=True).first()

    def shared_list_overlay(self, cards):
        if not cards:
            return cards
        user = self.beneficiary
        mine = selectors.my_active_registrations(user, [card["id"] for card in cards])
        resident_of = community_ids_for(user, Role.RESIDENT)
        return [
            {
                **card,
                "my_registration": my_registration_brief(mine.get(card["id"])),
                "eligibility": eligibility_of(
                    _audience(card),
                    user,
                    verified_resident=any(c["id"] in resident_of for c in card["communities"]),
                ),
            }
            for card in cards
        ]

    def _registration_detail(self, registration):
        return EventRegistrationDetailSerializer(
            selectors.registration_detail_of(self.beneficiary).get(pk=registration.pk),
            context=self.get_serializer_context(),
        ).data

    @extend_schema(
        summary="Register (with family members) → confirmed, or waitlisted when full",
        description=(
            "Errors: 409 `event_full` (full, no waitlist), `already_registered`, `registration_closed`; "
            "403 `not_eligible` with `reason` (residents_only, birth_date_missing, too_young, too_old)."
        ),
        request=EventRegisterSerializer,
        responses={201: EventRegistrationDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def register(self, request, pk=None):
        data = self.validated(EventRegisterSerializer)
        registration = services.registration_create(
            event=self.get_object(),
            user=self.beneficiary,
            attendees=data["attendees"],
            acted_by=self.acting.actor_or_none,
        )
        return Response(self._registration_detail(registration), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Cancel my registration (until the cancellation deadline); freed seats go to the waitlist",
        description="Errors: 404 `not_registered`, 409 `cancellation_closed`.",
        request=None,
        responses={200: EventRegistrationDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="cancel-registration")
    def cancel_registration(self, request, pk=None):
        event = self.get_object()
        registration = Registration.objects.filter(
            event=event,
            user=self.beneficiary,
            status__in=(Registration.Status.CONFIRMED, Registration.Status.WAITLISTED),
        ).first()
        if registration is None:
            raise services.NotRegistered()
        services.registration_cancel(registration=registration, actor=request.user, acted_by=self.acting.actor_or_none)
        return Response(self._registration_detail(registration))

    @extend_schema(
        summary="Rate an event I attended (once)",
        description="Errors: 403 `not_attended`, 409 `feedback_exists`.",
        request=EventFeedbackInputSerializer,
        responses={201: EventFeedbackSerializer},
    )
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        data = self.validated(EventFeedbackInputSerializer)
        feedback = services.feedback_create(event=self.get_object(), user=request.user, **data)
        return self.respond(EventFeedbackSerializer, feedback, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="My registrations, newest first, with check-in tickets"),
    retrieve=extend_schema(summary="One of my registrations: ticket, waitlist position and why I was (not) promoted"),
)
class MyRegistrationViewSet(ActingViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """My registrations, each with its check-in ticket (`acted_by`: the family member who registered
    for me). With `?on_behalf_of=` (act_for): the registrations of the elder I act for."""

    schema_topic = "活动"
    filterset_class = MyRegistrationFilterSet
    lookup_value_regex = r"\d+"
    acting_actions = {"list": Permission.ACT_FOR, "retrieve": Permission.ACT_FOR}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Registration.objects.none()
        if self.action == "list":
            return selectors.registrations_of(self.beneficiary)
        return selectors.registration_detail_of(self.beneficiary)

    def get_serializer_class(self):
        return EventRegistrationSerializer if self.action == "list" else EventRegistrationDetailSerializer


# --- staff ------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Events I manage (every status)"),
    retrieve=extend_schema(summary="One event I manage, with counters and feedback average"),
)
class StaffEventViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ApiViewSet,
):
    """Events of the communities where I am community staff (others' are 404)."""

    schema_topic = "活动"
    permission_classes = [has_role(Role.COMMUNITY_STAFF)]
    serializer_class = EventForStaffSerializer
    filterset_class = StaffEventFilterSet
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.events_for_staff(self.request.user)

    def _output(self, event, code=status.HTTP_200_OK):
        return self.respond(EventForStaffSerializer, self.get_queryset().get(pk=event.pk), code)

    def _input(self, *, partial: bool) -> dict:
        staff_community_ids = community_ids_for(self.request.user, Role.COMMUNITY_STAFF)
        return dict(self.validated(EventWriteSerializer, partial=partial, staff_community_ids=staff_community_ids))

    @extend_schema(
        summary="Create a draft event (a weekly course with sessions_count > 1); its venue is held at once",
        description="409 `slot_taken` when the venue is booked at that time.",
        request=EventWriteSerializer,
        responses={201: EventForStaffSerializer},
    )
    def create(self, request, *args, **kwargs):
        fields = self._input(partial=False)
        community = fields.pop("community", None)
        if community is None:
            mine = community_ids_for(request.user, Role.COMMUNITY_STAFF)
            if len(mine) != 1:
                raise field_error("community", "您管理多个社区，请选择主办社区")
            community = request.user.memberships.get(role=Role.COMMUNITY_STAFF, community_id__in=mine).community
        communities = fields.pop("communities", ())
        event = services.event_create(community=community, created_by=request.user, communities=communities, **fields)
        return self._output(event, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change an event (draft or published); time changes rebook the venue and tell registrants",
        description="409 `capacity_below_taken`, `slot_taken`, `invalid_transition` (cancelled / finished).",
        request=EventWriteSerializer,
        responses={200: EventForStaffSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        event = self.get_object()
        fields = self._input(partial=True)
        fields.pop("community", None)  # the organiser does not change
        communities = fields.pop("communities", None)
        event = services.event_update(event=event, actor=request.user, communities=communities, **fields)
        return self._output(event)

    @extend_schema(summary="Publish a draft event", request=None, responses={200: EventForStaffSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._output(services.event_publish(event=self.get_object(), actor=request.user))

    @extend_schema(
        summary="Cancel an event: every registrant is told, the venue released",
        request=EventCancelSerializer,
        responses={200: EventForStaffSerializer},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        reason = self.validated(EventCancelSerializer)["reason"]
        event = services.event_cancel(event=self.get_object(), actor=request.user, reason=reason)
        return self._output(event)

    @extend_schema(
        summary="Check in a ticket (QR code) at this event",
        description=(
            "200 with `result=checked_in` the first time (points are awarded once), `result=already_checked_in` "
            "and `already_checked_in=true` on every later scan. Volunteer activities and courses (幸福学堂, more "
            "than one session) check in once per session, to the session whose window (1 h before its start "
            "until its end) holds now; `session` and `attendance` say which. A retry with the same `nonce` "
            "replays the first answer (header `Idempotent-Replayed: true`), errors included. Errors: 400 "
            "`invalid_ticket`; 409 `ticket_for_another_event`, `registration_cancelled`, `registration_waitlisted`, "
            "`registration_no_show`, `event_not_open_for_check_in`, `no_session_now`, `nonce_reused`."
        ),
        request=EventCheckInInputSerializer,
        responses={200: EventCheckInResultSerializer},
    )
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        return self._scan(CheckInScan.Direction.IN)

    @extend_schema(
        summary="Check a volunteer out (QR code) at this volunteer activity: the hours are credited",
        description=(
            "Ends the volunteer's open session: hours = min(check-out − check-in, the planned hours), rounded "
            "down to the half hour; points by the rule `volunteer_hour`. 200 `result=checked_out`, or "
            "`already_checked_out` on a later scan; a retry with the same `nonce` replays the first answer. "
            "Errors: 400 `invalid_ticket`; 409 `not_checked_in`, `check_out_not_used` (not a volunteer activity), "
            "`ticket_for_another_event`, `registration_cancelled`, `registration_waitlisted`, "
            "`event_not_open_for_check_in`, `nonce_reused`."
        ),
        request=EventCheckInInputSerializer,
        responses={200: EventCheckInResultSerializer},
    )
    @action(detail=True, methods=["post"], url_path="check-out")
    def check_out(self, request, pk=None):
        return self._scan(CheckInScan.Direction.OUT)

    def _scan(self, direction):
        data = self.validated(EventCheckInInputSerializer)
        result = services.registration_check_in(
            event=self.get_object(),
            ticket=data["ticket"],
            nonce=data.get("nonce", ""),
            staff=self.request.user,
            direction=direction,
        )
        headers = {"Idempotent-Replayed": "true"} if result.replayed else {}
        scan = result.scan
        if scan.outcome not in CheckInScan.SUCCESS:
            error = services.SCAN_ERRORS[scan.outcome]()
            error.headers = headers
            raise error
        return self.respond(EventCheckInResultSerializer, scan, headers=headers)


class StaffEventRegistrationsView(CSVErrorsAsJSONMixin, generics.ListAPIView):
    """The roster of one of my events. `?format=csv` downloads it as a CSV file for Excel.

    Phone numbers: masked (138****5678) in the JSON list shown on screen; in full in the CSV roster, which
    staff download to phone registrants about changes (every export is logged with who and which event).
    """

    schema_topic = "活动"
    permission_classes = [has_role(Role.COMMUNITY_STAFF)]
    serializer_class = EventRosterRowSerializer
    filterset_class = RosterFilterSet
    renderer_classes = [JSONRenderer, CSVRenderer]
    csv_columns = [
        ("id", "报名编号"),
        ("name", "姓名"),
        ("phone", "手机号"),
        ("attendees", "人数"),
        ("status_label", "状态"),
        ("created_at", "报名时间"),
        ("checked_in_at", "签到时间"),
    ]

    def get_event(self):
        return get_object_or_404(selectors.events_for_staff(self.request.user), pk=self.kwargs["id"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Registration.objects.none()
        return selectors.event_registrations(self.get_event())

    @extend_schema(
        summary="Roster of an event (JSON, or CSV with ?format=csv)",
        parameters=[
            OpenApiParameter(
                "format", str, enum=["json", "csv"], description="csv: the whole roster as a CSV file (UTF-8, BOM)"
            )
        ],
        responses={
            (200, "application/json"): EventRosterRowSerializer(many=True),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="The roster as CSV"),
        },
    )
    def get(self, request, *args, **kwargs):
        if getattr(request.accepted_renderer, "format", None) != "csv":
            return self.list(request, *args, **kwargs)
        event = self.get_event()
        rows = self.filter_queryset(selectors.event_registrations(event))
        data = EventRosterRowSerializer(
            rows, many=True, context={**self.get_serializer_context(), "reveal_sensitive": True}
        ).data
        labels = dict(Registration.Status.choices)
        for row in data:
            row["status_label"] = labels.get(row["status"], row["status"])
            for key in ("created_at", "checked_in_at"):
                if row[key]:
                    row[key] = datetime.fromisoformat(row[key]).strftime("%Y-%m-%d %H:%M")
        logger.info("roster export: user %s, event %s, %s rows", request.user.pk, event.pk, len(data))
        filename = f"event-{event.pk}-roster-{timezone.localdate():%Y%m%d}.csv"
        return Response(data, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@extend_schema_view(
    get=extend_schema(summary="Feedback on an event, newest first"),
)
class StaffEventFeedbackView(generics.ListAPIView):
    """Ratings and comments of one of my events (the average is in the event's `feedback_average`)."""

    schema_topic = "活动"
    permission_classes = [has_role(Role.COMMUNITY_STAFF)]
    serializer_class = EventFeedbackForStaffSerializer
    filterset_class = FeedbackFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Feedback.objects.none()
        event = get_object_or_404(selectors.events_for_staff(self.request.user), pk=self.kwargs["id"])
        return selectors.event_feedback(event)


# --- venues -----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Venues (?community=<id>)"),
    retrieve=extend_schema(summary="One venue with its opening hours"),
)
class VenueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Community venues (邻礼中心, 幸福学堂, 居家养老服务中心 rooms) with opening hours."""

    schema_topic = "场馆"
    serializer_class = VenueSerializer
    filterset_class = VenueFilterSet
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.venues()

    @extend_schema(
        summary="Opening hours, busy and free time of a venue on one day",
        parameters=[VenueAvailabilityQuerySerializer],
        responses={200: VenueAvailabilitySerializer},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def availability(self, request, pk=None):
        venue = self.get_object()
        day = self.validated(VenueAvailabilityQuerySerializer, data=request.query_params).get("date")
        return self.respond(
            VenueAvailabilitySerializer, selectors.venue_availability(venue, day or timezone.localdate())
        )

    @extend_schema(
        summary="Book a time slot (inside opening hours)",
        description=(
            "Staff of the venue's community, or its verified residents when the venue takes residents' bookings. "
            "Errors: 409 `slot_taken`, 400 `outside_opening_hours`, 403 `booking_not_allowed`, and 409 "
            "`limit_reached` when a resident already has the weekly limit of bookings (使用限额, default 3 per "
            "calendar week by start time; the venue's community staff are not limited)."
        ),
        request=VenueBookingInputSerializer,
        responses={201: VenueBookingSerializer},
    )
    @action(detail=True, methods=["post"])
    def bookings(self, request, pk=None):
        data = self.validated(VenueBookingInputSerializer)
        booking = services.venue_booking_create(venue=self.get_object(), user=request.user, **data)
        return self.respond(VenueBookingSerializer, booking, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="My venue bookings, latest first"),
    retrieve=extend_schema(summary="One of my venue bookings"),
)
class VenueBookingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """My venue bookings; staff may also cancel any booking of their community's venues."""

    schema_topic = "场馆"
    serializer_class = VenueBookingSerializer
    filterset_class = BookingFilterSet
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return VenueBooking.objects.none()
        if self.action == "cancel":
            return selectors.bookings_manageable_by(self.request.user)
        return selectors.bookings_of(self.request.user)

    @extend_schema(
        summary="Cancel a booking (mine, or as staff of the venue's community)",
        description="409 `event_booking` for a slot held by an event (change the event instead), `booking_started`.",
        request=None,
        responses={200: VenueBookingSerializer},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        booking = services.venue_booking_cancel(booking=self.get_object(), actor=request.user)
        return self.respond(VenueBookingSerializer, booking)
