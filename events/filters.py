import django_filters
from django import forms
from django.db.models import Q

from linli.api.filters import MomentFilter

from .models import Event, Feedback, Registration, SessionAttendance, Venue, VenueBooking


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class IdFilter(IntegerFilter):
    """An object id: a whole number in the database's range (anything else is 400, never a 500)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


def _search_events(queryset, name, value):
    return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))


class EventFilterSet(django_filters.FilterSet):
    """The residents' list of upcoming events."""

    category = django_filters.ChoiceFilter(choices=Event.Category.choices)
    starts_after = MomentFilter(field_name="starts_at", lookup_expr="gte", help_text="Starts at or after (ISO 8601)")
    starts_before = MomentFilter(field_name="starts_at", lookup_expr="lte", help_text="Starts at or before (ISO 8601)")
    community = IdFilter(field_name="communities", help_text="Open to this community (id)")
    search = django_filters.CharFilter(method="filter_search", help_text="Title or description contains")

    class Meta:
        model = Event
        fields = ["category", "starts_after", "starts_before", "community", "search"]

    def filter_search(self, queryset, name, value):
        return _search_events(queryset, name, value)


class StaffEventFilterSet(django_filters.FilterSet):
    """Staff's events of every status."""

    status = django_filters.ChoiceFilter(choices=Event.Status.choices)
    category = django_filters.ChoiceFilter(choices=Event.Category.choices)
    community = IdFilter(field_name="community", help_text="Organising community (id)")
    starts_after = MomentFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = MomentFilter(field_name="starts_at", lookup_expr="lte")
    search = django_filters.CharFilter(method="filter_search", help_text="Title or description contains")

    class Meta:
        model = Event
        fields = ["status", "category", "community", "starts_after", "starts_before", "search"]

    def filter_search(self, queryset, name, value):
        return _search_events(queryset, name, value)


class MyRegistrationFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Registration.Status.choices)

    class Meta:
        model = Registration
        fields = ["status"]


class RosterFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Registration.Status.choices)
    search = django_filters.CharFilter(method="filter_search", help_text="Resident's name or phone contains")

    class Meta:
        model = Registration
        fields = ["status", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(user__display_name__icontains=value) | Q(user__phone__icontains=value))


class AttendanceFilterSet(django_filters.FilterSet):
    """Staff: the attendance per session of one event."""

    session = IntegerFilter(field_name="session__index", min_value=1, max_value=1000, help_text="Session number (1…)")
    status = django_filters.ChoiceFilter(choices=SessionAttendance.Status.choices)
    search = django_filters.CharFilter(method="filter_search", help_text="Resident's name contains")

    class Meta:
        model = SessionAttendance
        fields = ["session", "status", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(user__display_name__icontains=value)


class VolunteerHoursFilterSet(django_filters.FilterSet):
    """A volunteer's own sessions."""

    year = IntegerFilter(method="filter_year", min_value=2000, max_value=2100, help_text="Checked in in this year")

    class Meta:
        model = SessionAttendance
        fields = ["year"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(checked_in_at__year=value)


class FeedbackFilterSet(django_filters.FilterSet):
    rating = IntegerFilter(min_value=1, max_value=5)

    class Meta:
        model = Feedback
        fields = ["rating"]


class VenueFilterSet(django_filters.FilterSet):
    community = IdFilter(field_name="community", help_text="Community id")
    search = django_filters.CharFilter(method="filter_search", help_text="Name or location contains")

    class Meta:
        model = Venue
        fields = ["community", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(location__icontains=value))


class BookingFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=VenueBooking.Status.choices)
    venue = IdFilter(field_name="venue", help_text="Venue id")

    class Meta:
        model = VenueBooking
        fields = ["status", "venue"]
