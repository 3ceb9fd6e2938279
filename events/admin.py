from django.contrib import admin

from linli.console.admin import CommunityScopedAdmin, HistoryInline, apply_service

from . import services
from .models import (
    CheckInScan,
    CourseCompletion,
    Event,
    EventHistory,
    EventSession,
    Feedback,
    HoursAdjustment,
    Registration,
    RegistrationHistory,
    SeatRelease,
    SessionAttendance,
    Venue,
    VenueBooking,
    VenueBookingHistory,
    VenueOpeningHours,
    WaitlistDecision,
)

_run = apply_service  # a refusal is shown next to the row's name, never a 500; each success is logged


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- venues -------------------------------------------------------------------------------------


class OpeningHoursInline(admin.TabularInline):
    model = VenueOpeningHours
    extra = 0


@admin.register(Venue)
class VenueAdmin(CommunityScopedAdmin):
    list_display = ("name", "location", "community", "capacity", "residents_may_book", "is_active")
    list_filter = ("community", "residents_may_book", "is_active")
    list_select_related = ("community",)
    search_fields = ("name", "location", "community__name")
    inlines = [OpeningHoursInline]


class VenueBookingHistoryInline(HistoryInline):
    model = VenueBookingHistory


@admin.register(VenueBooking)
class VenueBookingAdmin(CommunityScopedAdmin):
    community_field = "venue__community"
    list_display = ("venue", "starts_at", "ends_at", "purpose", "booked_by", "session", "status")
    list_filter = ("status", "venue__community", "venue")
    list_select_related = ("venue", "booked_by", "session__event")
    search_fields = ("purpose", "venue__name", "booked_by__display_name", "booked_by__username")
    date_hierarchy = "starts_at"
    readonly_fields = ("venue", "session", "booked_by", "starts_at", "ends_at", "status", "cancelled_at")
    actions = ["cancel_bookings"]
    inlines = [VenueBookingHistoryInline]

    def has_add_permission(self, request):
        return False  # bookings go through the booking service (opening hours, overlaps)

    @admin.action(description="取消所选预约")
    def cancel_bookings(self, request, queryset):
        _run(self, request, queryset, "取消", lambda b: services.venue_booking_cancel(booking=b, actor=request.user))


# --- events ---------------------------------------------------------------------------------------


class SessionInline(ReadOnlyInline):
    model = EventSession
    fields = ("index", "starts_at", "ends_at", "reminded_24h_at", "reminded_2h_at")
    readonly_fields = fields


class RegistrationInline(ReadOnlyInline):
    model = Registration
    fields = ("user", "attendees", "status", "created_at", "checked_in_at")
    readonly_fields = fields
    show_change_link = True


class EventHistoryInline(HistoryInline):
    model = EventHistory


@admin.register(Event)
class EventAdmin(CommunityScopedAdmin):
    """Staff create and edit events through the staff API (which books the venue); the console shows them,
    publishes, cancels and lists registrations."""

    list_display = ("title", "community", "category", "starts_at", "sessions_count", "venue", "capacity", "status")
    list_filter = ("status", "category", "community", "residents_only")
    list_select_related = ("community", "venue")
    search_fields = ("title", "description", "community__name")
    date_hierarchy = "starts_at"
    readonly_fields = [f.name for f in Event._meta.concrete_fields if f.name != "id"] + ["communities"]
    inlines = [SessionInline, RegistrationInline, EventHistoryInline]
    actions = ["publish", "cancel"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="发布所选活动")
    def publish(self, request, queryset):
        _run(self, request, queryset, "发布", lambda e: services.event_publish(event=e, actor=request.user))

    @admin.action(description="取消所选活动（通知所有报名者）")
    def cancel(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            "取消",
            lambda e: services.event_cancel(event=e, actor=request.user, reason="社区工作人员在后台取消"),
        )


class RegistrationHistoryInline(HistoryInline):
    model = RegistrationHistory


class WaitlistDecisionInline(ReadOnlyInline):
    model = WaitlistDecision
    fields = ("release", "outcome", "queue_position", "attendees", "seats_left")
    readonly_fields = fields


@admin.register(Registration)
class RegistrationAdmin(CommunityScopedAdmin):
    community_field = "event__community"
    list_display = ("event", "user", "attendees", "status", "created_at", "checked_in_at")
    list_filter = ("status", "event__community", "event__category")
    list_select_related = ("event", "user")
    search_fields = ("event__title", "user__display_name", "user__username", "user__phone")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Registration._meta.concrete_fields if f.name != "id"]
    inlines = [RegistrationHistoryInline, WaitlistDecisionInline]
    actions = ["cancel_registrations"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="取消所选报名（空出的名额递补给候补）")
    def cancel_registrations(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            "取消",
            lambda r: services.registration_cancel(registration=r, actor=request.user, note="工作人员取消"),
        )


@admin.register(SeatRelease)
class SeatReleaseAdmin(CommunityScopedAdmin):
    community_field = "event__community"
    list_display = ("event", "cause", "seats_freed", "seats_available", "created_at")
    list_filter = ("cause", "event__community")
    date_hierarchy = "created_at"
    list_select_related = ("event",)
    search_fields = ("event__title",)
    readonly_fields = ("event", "cause", "cancelled_registration", "seats_freed", "seats_available", "created_at")
    inlines = [WaitlistDecisionInline]

    def has_add_permission(self, request):
        return False


@admin.register(CheckInScan)
class CheckInScanAdmin(CommunityScopedAdmin):
    community_field = "event__community"
    list_display = ("event", "registration", "outcome", "points_awarded", "scanned_by", "created_at")
    list_filter = ("outcome", "event__community")
    date_hierarchy = "created_at"
    list_select_related = ("event", "registration__user", "scanned_by")
    search_fields = ("event__title", "registration__user__display_name", "nonce")
    readonly_fields = [f.name for f in CheckInScan._meta.concrete_fields if f.name != "id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(CommunityScopedAdmin):
    community_field = "event__community"
    list_display = ("event", "rating", "comment", "created_at")
    list_filter = ("rating", "event__community")
    date_hierarchy = "created_at"
    list_select_related = ("event",)
    search_fields = ("event__title", "comment")
    readonly_fields = ("registration", "event", "rating", "comment")

    def has_add_permission(self, request):
        return False


# --- attendance per session, volunteer hours, course completions ---------------------------------------


class HoursAdjustmentInline(ReadOnlyInline):
    model = HoursAdjustment
    fields = ("created_at", "adjusted_by", "hours_before", "hours_after", "reason")
    readonly_fields = fields


@admin.register(SessionAttendance)
class SessionAttendanceAdmin(CommunityScopedAdmin):
    """Who came to which session, and the volunteer hours credited. Hours are adjusted through the staff API
    (with a reason, audited); here staff close the sessions nobody checked out of."""

    community_field = "event__community"
    list_display = ("event", "session", "user", "status", "checked_in_at", "checked_out_at", "hours")
    list_filter = ("status", "event__category", "event__community")
    date_hierarchy = "checked_in_at"
    list_select_related = ("event", "session__event", "user")
    search_fields = ("event__title", "user__display_name")
    readonly_fields = [f.name for f in SessionAttendance._meta.concrete_fields if f.name != "id"]
    inlines = [HoursAdjustmentInline]
    actions = ["close"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="补签退所选志愿服务（时长计至场次结束）")
    def close(self, request, queryset):
        _run(self, request, queryset, "补签退", lambda a: services.attendance_close(attendance=a, actor=request.user))


@admin.register(CourseCompletion)
class CourseCompletionAdmin(CommunityScopedAdmin):
    community_field = "event__community"
    list_display = ("event", "user", "sessions_attended", "sessions_total", "rate", "completed_at")
    list_filter = ("event__community",)
    date_hierarchy = "completed_at"
    list_select_related = ("event", "user")
    search_fields = ("event__title", "user__display_name")
    readonly_fields = [f.name for f in CourseCompletion._meta.concrete_fields if f.name != "id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
