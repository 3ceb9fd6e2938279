"""What enforcement keeps about a person: the problem reports they filed (what they wrote, where,
their rating), the reports they follow, an officer's last position posted by their app. Officers'
actions are the state's records, not personal data of a resident, and cases are about parties (businesses), not users.

On erasure the reports stay (the loop's and the district's record) but stop pointing at the person:
contact details, rating comment and their photos go (their uploads are deleted with the account,
which unlinks them; a link they gave over Open311 is cleared), the description is blanked; follows
are removed. Officers' after photos stay: they are the state's record of the handling.
"""

from django.utils import timezone

from enforcement.models import OfficerPosition, ProblemReport, ReportFollower, ReportHistory, ReportPhoto
from linli.uploads.selectors import attachments

ERASED = "（用户已注销）"


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def export(user) -> dict:
    reports = (
        ProblemReport.objects.filter(reporter=user)
        .select_related("category")
        .prefetch_related(attachments("photo_links", ReportPhoto))
        .order_by("created_at", "id")
    )
    follows = ReportFollower.objects.filter(user=user).select_related("report__category").order_by("created_at")
    position = OfficerPosition.objects.filter(user=user).first()
    return {
        "officer_position": (
            {"lat": str(position.lat), "lng": str(position.lng), "reported_at": _iso(position.reported_at)}
            if position
            else None
        ),
        "reports": [
            {
                "id": r.pk,
                "channel": r.channel,
                "category": r.category.name,
                "description": r.description,
                # Upload ids; the files themselves are in the uploads section (linli/uploads/privacy.py).
                "photos": [link.upload_id for link in r.photo_links.all()],
                "external_media_url": r.external_media_url,
                "address": r.address,
                "is_public": r.is_public,
                "lat": str(r.lat) if r.lat is not None else None,
                "lng": str(r.lng) if r.lng is not None else None,
                "contact_name": r.contact_name,
                "contact_phone": r.contact_phone,
                "status": r.status,
                "feedback": r.feedback,
                "rating": r.rating,
                "rating_comment": r.rating_comment,
                "created_at": _iso(r.created_at),
            }
            for r in reports
        ],
        "following": [
            {"report": f.report_id, "category": f.report.category.name, "since": _iso(f.created_at)} for f in follows
        ],
    }


def anonymise(user) -> None:
    resident_channels = (ProblemReport.Channel.RESIDENT, ProblemReport.Channel.OPEN311)
    ProblemReport.objects.filter(reporter=user, channel__in=resident_channels).update(
        description=ERASED,
        external_media_url="",
        address="",
        contact_name="",
        contact_phone="",
        updated_at=timezone.now(),
    )
    ReportPhoto.objects.filter(report__reporter=user, upload__owner=user).delete()
    # Made private again: what the person chose to show goes with the person.
    ProblemReport.objects.filter(reporter=user).update(
        reporter=None,
        contact_name="",
        contact_phone="",
        rating_comment="",
        is_public=False,
        updated_at=timezone.now(),
    )
    ReportHistory.objects.filter(actor=user, action=ReportHistory.Action.RATE).update(note="")
    ReportFollower.objects.filter(user=user).delete()
    OfficerPosition.objects.filter(user=user).delete()  # where an officer was is theirs
