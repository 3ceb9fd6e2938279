"""A resident's market data: orders (kept for the merchants' books, address and note blanked), reviews
(deleted), shop applications (contact blanked), cabinet visits (kept, pointing at the anonymised user),
member invitations to their phone number (the number blanked: nobody can claim them any more)."""

from django.db.models import Q
from django.utils import timezone

from merchants.models import CabinetSession, MerchantApplication, MerchantInvitation, Order, Review


def _iso(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def export(user) -> dict:
    orders = Order.objects.filter(user=user).select_related("merchant").prefetch_related("items").order_by("id")
    return {
        "orders": [
            {
                "number": order.number,
                "merchant": order.merchant.name,
                "status": order.status,
                "total_fen": order.total_fen,
                "address": order.address,
                "note": order.note,
                "created_at": _iso(order.created_at),
                "items": [{"name": item.name, "quantity": item.quantity} for item in order.items.all()],
            }
            for order in orders
        ],
        "reviews": [
            {"merchant": review.merchant.name, "rating": review.rating, "content": review.content}
            for review in Review.objects.filter(user=user).select_related("merchant").order_by("id")
        ],
        "applications": [
            {
                "name": application.name,
                "contact_name": application.contact_name,
                "contact_phone": application.contact_phone,
                "status": application.status,
            }
            for application in MerchantApplication.objects.filter(applicant=user).order_by("id")
        ],
        "cabinet_visits": [
            {"device": visit.device.name, "status": visit.status, "at": _iso(visit.created_at)}
            for visit in CabinetSession.objects.filter(user=user).select_related("device").order_by("id")
        ],
        "shop_invitations": [
            {
                "merchant": invitation.merchant.name,
                "position": invitation.position,
                "phone": invitation.phone,
                "status": invitation.status,
                "at": _iso(invitation.created_at),
            }
            for invitation in _invitations_of(user).select_related("merchant").order_by("id")
        ],
    }


def _invitations_of(user):
    """Invitations to the user's phone number, and those they answered (code invitations too)."""
    return MerchantInvitation.objects.filter(Q(user=user) | (Q(phone=user.phone) if user.phone else Q(pk__in=[])))


def anonymise(user) -> None:
    Order.objects.filter(user=user).update(address="", note="")
    Review.objects.filter(user=user).delete()
    MerchantApplication.objects.filter(applicant=user).update(contact_name="", contact_phone="", description="")
    _invitations_of(user).update(phone="")
