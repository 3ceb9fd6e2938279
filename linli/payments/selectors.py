from django.db.models import Prefetch, QuerySet

from linli.payments.models import PaymentContract, PaymentIntent, PaymentPart, Refund

# What PaymentIntentSerializer shows of an intent; an app that nests it prefetches these under its own path.
INTENT_PREFETCH = (
    Prefetch("parts", queryset=PaymentPart.objects.order_by("id")),
    Prefetch("refunds", queryset=Refund.objects.order_by("created_at", "id")),
)


def lock_intent(pk: int) -> PaymentIntent:
    """Lock a payment intent row (inside a transaction). Owners lock it before their own row."""
    return PaymentIntent.objects.select_for_update().get(pk=pk)


def intents_of(user) -> QuerySet[PaymentIntent]:
    """A payer's own intents with their parts and refunds (3 queries for any page)."""
    if not user.is_authenticated:
        return PaymentIntent.objects.none()
    return PaymentIntent.objects.filter(payer=user).prefetch_related(*INTENT_PREFETCH)


def contracts_of(user) -> QuerySet[PaymentContract]:
    if not user.is_authenticated:
        return PaymentContract.objects.none()
    return PaymentContract.objects.filter(user=user)


def has_active_contract(user, provider: str) -> bool:
    return PaymentContract.objects.filter(user=user, provider=provider, status=PaymentContract.Status.ACTIVE).exists()
