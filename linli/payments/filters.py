import django_filters

from linli.payments.models import PaymentIntent


class PaymentIntentFilterSet(django_filters.FilterSet):
    class Meta:
        model = PaymentIntent
        fields = ["status", "purpose"]
