"""What residents keeps about a person: verification applications (real name, phone), the work
orders they filed (and what they wrote on them), and which announcements they read.

On erasure the records stay for the community's statistics and the property's history, but
everything the person wrote or that identifies them is blanked; read marks go. The residency
memberships themselves are removed with the account's roles (linli/accounts/privacy.py).
"""

from django.utils import timezone

from linli.uploads.selectors import attachments
from residents.models import AnnouncementRead, Verification, WorkOrder, WorkOrderHistory, WorkOrderPhoto

ERASED = "（用户已注销）"


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def export(user) -> dict:
    verifications = Verification.objects.filter(user=user).select_related("room__building__estate", "community")
    orders = (
        WorkOrder.objects.filter(reporter=user)
        .select_related("category", "community")
        .prefetch_related(attachments("photo_links", WorkOrderPhoto))
        .order_by("created_at")
    )
    steps = WorkOrderHistory.objects.filter(actor=user).order_by("created_at", "id")
    reads = AnnouncementRead.objects.filter(user=user).select_related("announcement").order_by("read_at")
    return {
        "verifications": [
            {
                "room": str(v.room),
                "community": v.community.name,
                "relation": v.relation,
                "real_name": v.real_name,
                "phone": v.phone,
                "status": v.status,
                "reject_reason": v.reject_reason,
                "applied_at": _iso(v.created_at),
                "reviewed_at": _iso(v.reviewed_at),
            }
            for v in verifications.order_by("created_at", "id")
        ],
        "work_orders": [
            {
                "id": o.pk,
                "community": o.community.name,
                "kind": o.kind,
                "category": o.category.name,
                "description": o.description,
                "location": o.location,
                # The files themselves are in the uploads section (linli/uploads/privacy.py).
                "photos": [link.upload_id for link in o.photo_links.all()],
                "contact_phone": o.contact_phone,
                "status": o.status,
                "rating": o.rating,
                "rating_comment": o.rating_comment,
                "created_at": _iso(o.created_at),
            }
            for o in orders
        ],
        "work_order_steps": [
            {"work_order": e.work_order_id, "action": e.action, "note": e.note, "at": _iso(e.created_at)} for e in steps
        ],
        "announcements_read": [{"title": r.announcement.title, "read_at": _iso(r.read_at)} for r in reads],
    }


def anonymise(user) -> None:
    Verification.objects.filter(user=user).update(real_name=ERASED, phone="", updated_at=timezone.now())
    orders = WorkOrder.objects.filter(reporter=user)
    orders.update(description=ERASED, contact_phone="", rating_comment="", updated_at=timezone.now())
    # Their own photos go with their uploads (linli/uploads/privacy.py); photos staff attached when
    # filing for them are the staff member's record of the call, but show the person's home: unlink them.
    WorkOrderPhoto.objects.filter(work_order__in=orders).delete()
    # Notes the person wrote on timelines (reopen reasons, rating comments). Staff keep theirs:
    # a handler's notes are the property's work record, not the handler's private data.
    WorkOrderHistory.objects.filter(actor=user, work_order__reporter=user).update(note="")
    AnnouncementRead.objects.filter(user=user).delete()
