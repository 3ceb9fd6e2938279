"""Filters of the alarm lists (staff and family)."""

import django_filters

from care.models import Alarm
from linli.api.filters import MomentFilter


class AlarmFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Alarm.Status.choices, help_text="状态，可多选")
    kind = django_filters.ChoiceFilter(choices=Alarm.Kind.choices, help_text="sos 一键呼叫 / fall 跌倒报警")
    community = django_filters.NumberFilter(field_name="community_id", help_text="社区 id")
    raised_after = MomentFilter(field_name="raised_at", lookup_expr="gte", help_text="报警时间不早于")
    raised_before = MomentFilter(field_name="raised_at", lookup_expr="lt", help_text="报警时间早于")

    class Meta:
        model = Alarm
        fields = ["status", "kind", "community", "raised_after", "raised_before"]
