import django_filters
from django import forms
from django.db.models import Q

from linli.accounts.models import Membership
from merchants.models import CabinetSession, Merchant, MerchantApplication, MerchantInvitation, Order, Product, Review

MAX_ID = 2**63 - 1


class IntFilter(django_filters.NumberFilter):
    """A whole number within the database's range; anything else is a validation error (400)."""

    field_class = forms.IntegerField


def id_filter(field_name: str, help_text: str) -> IntFilter:
    return IntFilter(field_name=field_name, min_value=1, max_value=MAX_ID, help_text=help_text)


class MarketMerchantFilterSet(django_filters.FilterSet):
    community = id_filter("community_id", "Community id")
    search = django_filters.CharFilter(method="filter_search", help_text="Name or description contains")

    class Meta:
        model = Merchant
        fields = ["community", "category", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


class MarketProductFilterSet(django_filters.FilterSet):
    merchant = id_filter("merchant_id", "Merchant id")
    community = id_filter("merchant__community_id", "Community id")
    search = django_filters.CharFilter(method="filter_search", help_text="Name or description contains")
    min_price_fen = IntFilter(field_name="price_fen", lookup_expr="gte", min_value=0, max_value=MAX_ID)
    max_price_fen = IntFilter(field_name="price_fen", lookup_expr="lte", min_value=0, max_value=MAX_ID)

    class Meta:
        model = Product
        fields = ["merchant", "community", "category", "search", "min_price_fen", "max_price_fen"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


class MerchantProductFilterSet(MarketProductFilterSet):
    class Meta:
        model = Product
        fields = ["merchant", "category", "search", "is_on_shelf", "min_price_fen", "max_price_fen"]


class ReviewFilterSet(django_filters.FilterSet):
    merchant = id_filter("merchant_id", "Merchant id")

    class Meta:
        model = Review
        fields = ["merchant", "rating"]


class MyOrderFilterSet(django_filters.FilterSet):
    class Meta:
        model = Order
        fields = ["status", "kind"]


class MerchantOrderFilterSet(django_filters.FilterSet):
    merchant = id_filter("merchant_id", "Merchant id")

    class Meta:
        model = Order
        fields = ["status", "kind", "merchant", "needs_review", "fulfilment"]


class ApplicationFilterSet(django_filters.FilterSet):
    community = id_filter("community_id", "Community id")

    class Meta:
        model = MerchantApplication
        fields = ["status", "community"]


class CabinetSessionFilterSet(django_filters.FilterSet):
    class Meta:
        model = CabinetSession
        fields = ["status"]


class MemberFilterSet(django_filters.FilterSet):
    merchant = id_filter("scope_id", "Merchant id")

    class Meta:
        model = Membership
        fields = ["merchant", "position"]


class InvitationFilterSet(django_filters.FilterSet):
    merchant = id_filter("merchant_id", "Merchant id")

    class Meta:
        model = MerchantInvitation
        fields = ["merchant", "status", "kind", "position"]
