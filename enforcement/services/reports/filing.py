"""Filing a report from any channel (residents, grid workers, patrols, the 12345 hotline, devices,
Open311, inspections); residents are offered an open report nearby instead of a duplicate."""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from enforcement import selectors
from enforcement.models import Category, Matter, ProblemReport
from enforcement.public import public_description
from enforcement.services._common import check_photos, field_error
from enforcement.services.reports._shared import PossibleDuplicate, record_reported
from enforcement.services.reports.routing import route
from linli.accounts.models import User
from linli.api.errors import ForbiddenError
from linli.uploads.models import Upload
from linli.uploads.services import attachments_set


@transaction.atomic
def report_create(
    *,
    channel: str,
    category: Category,
    description: str,
    photos: Sequence[Upload] = (),
    external_media_url: str = "",
    lat=None,
    lng=None,
    address: str = "",
    street=None,
    is_public: bool = False,
    reporter: User | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    device=None,
    open311_client=None,
    matter: Matter | None = None,
) -> ProblemReport:
    """File a report from any channel and route it. Callers check duplicates first when they offer it,
    and that `photos` are the filer's own uploads; a URL from outside (Open311, a camera) is only
    kept as text in `external_media_url`."""
    if (lat is None) != (lng is None):
        raise field_error("lat", "经纬度须同时提供")
    outside = False
    if lat is not None:  # the polygon the point lies in wins over a street given by the filer
        township = selectors.township_at(lat, lng)
        outside = township is None and street is None
        street = township or street
    report = ProblemReport.objects.create(
        channel=channel,
        category=category,
        matter=matter or category.matter,
        description=description,
        external_media_url=external_media_url,
        lat=lat,
        lng=lng,
        address=address,
        street=street,
        is_public=is_public,
        reporter=reporter,
        contact_name=contact_name,
        contact_phone=contact_phone,
        device=device,
        open311_client=open311_client,
    )
    attachments_set(report, "photos", photos)
    record_reported(report, actor=reporter, note=report.get_channel_display())
    route(report, outside=outside)
    return report


def _excerpt(report: ProblemReport) -> str | None:
    description = public_description(report)
    return description[:100] if description else None


def _duplicates_payload(nearby) -> list[dict]:
    """What a resident about to file is shown of others' reports: the public summary, no exact place."""
    return [
        {
            "id": n.report.pk,
            "category": n.report.category.name,
            "description": _excerpt(n.report),
            "status": n.report.status,
            "distance_m": round(n.distance_m, 1),
            "reported_at": timezone.localtime(n.report.created_at).isoformat(),
        }
        for n in nearby
    ]


@transaction.atomic
def report_submit(
    *,
    reporter: User,
    category: Category,
    description: str,
    lat,
    lng,
    address: str = "",
    photos: Sequence[Upload] = (),
    street=None,
    is_public: bool = False,
    ignore_duplicates: bool = False,
) -> ProblemReport:
    """A resident reports a problem. An open report of the same category within ~50 m is offered
    instead (409 possible_duplicate with `duplicates`), unless the resident insists. `is_public`:
    the resident lets followers and Open311 see the description and photos (enforcement/public.py)."""
    if not category.is_public:
        raise field_error("category", "该分类不接受居民上报")
    photos = check_photos(reporter, photos)
    if not ignore_duplicates:
        nearby = selectors.reports_nearby(category_id=category.pk, lat=lat, lng=lng)
        if nearby:
            raise PossibleDuplicate(extra={"duplicates": _duplicates_payload(nearby[:5])})
    return report_create(
        channel=ProblemReport.Channel.RESIDENT,
        category=category,
        description=description,
        photos=photos,
        lat=lat,
        lng=lng,
        address=address,
        street=street,
        is_public=is_public,
        reporter=reporter,
    )


@transaction.atomic
def report_file_by_staff(
    *,
    actor: User,
    channel: str,
    category: Category,
    description: str,
    lat=None,
    lng=None,
    address: str = "",
    street=None,
    photos: Sequence[Upload] = (),
    contact_name: str = "",
    contact_phone: str = "",
) -> ProblemReport:
    """Grid workers and patrols file what they see; the command centre enters 12345 hotline calls."""
    if channel == ProblemReport.Channel.HOTLINE and not selectors.is_dispatcher(actor):
        raise ForbiddenError("12345 热线工单由区指挥中心录入", code="not_dispatcher")
    if lat is None and street is None:
        raise field_error("street", "请提供位置（经纬度）或所属乡镇（街道）")
    photos = check_photos(actor, photos)
    return report_create(
        channel=channel,
        category=category,
        description=description,
        photos=photos,
        lat=lat,
        lng=lng,
        address=address,
        street=street,
        reporter=actor,
        contact_name=contact_name,
        contact_phone=contact_phone,
    )
