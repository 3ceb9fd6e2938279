"""Filters of the 托育 lists."""

import django_filters

from care.models import ChildcareClass, Enrolment, FeeBill


class ChildcareClassFilterSet(django_filters.FilterSet):
    provider = django_filters.NumberFilter(field_name="provider_id", help_text="托育点 id")
    community = django_filters.NumberFilter(field_name="community_id", help_text="社区 id")

    class Meta:
        model = ChildcareClass
        fields = ["provider", "community"]


class EnrolmentFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Enrolment.Status.choices, help_text="状态，可多选")
    klass = django_filters.NumberFilter(field_name="klass_id", help_text="班级 id")
    child = django_filters.NumberFilter(field_name="child_id", help_text="幼儿 id")

    class Meta:
        model = Enrolment
        fields = ["status", "klass", "child"]


class FeeBillFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=FeeBill.Status.choices, help_text="unpaid 待缴费 / paid 已缴费")

    class Meta:
        model = FeeBill
        fields = ["status"]
