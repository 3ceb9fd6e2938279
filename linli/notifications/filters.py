import django_filters
from django.db.models import Q

from linli.notifications.models import Notification


class NotificationFilterSet(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(method="filter_unread", help_text="true: only unread; false: only read")
    kind = django_filters.CharFilter(method="filter_kind", help_text="A kind or a prefix, e.g. work_order")

    class Meta:
        model = Notification
        fields = ["unread", "kind"]

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value)

    def filter_kind(self, queryset, name, value):
        return queryset.filter(Q(kind=value) | Q(kind__startswith=f"{value}."))
