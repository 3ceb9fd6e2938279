"""A resident's market data: orders (kept for the merchants' books, address and note blanked), reviews
(deleted), shop applications (contact blanked), cabinet visits (kept, pointing at the anonymised user)."""

from django.utils import timezone

from merchants.models import CabinetSession, MerchantApplication, Order, Review


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
    }


def anonymise(user) -> None:
    Order.objects.filter(user=user).update(address="", note="")
    Review.objects.filter(user=user).delete()
    MerchantApplication.objects.filter(applicant=user).update(contact_name="", contact_phone="", description="")
