"""Village liaison stations (联络站): their liaison officers (村联络员) file reports for their village
and follow them: they see the station's reports and add notes; any other station's report is 404."""

from collections.abc import Sequence

from django.db import transaction

from enforcement import selectors
from enforcement.models import Category, LiaisonReport, LiaisonStation, ProblemReport
from enforcement.services._common import check_photos, field_error
from enforcement.services.reports import record_event, report_create
from enforcement.services.reports._shared import Action, tell_team
from linli.accounts.models import User
from linli.api.errors import NotFoundError
from linli.uploads.models import Upload


def _require_liaison(actor: User, station: LiaisonStation) -> None:
    if station.pk not in selectors.station_ids_of(actor):
        raise NotFoundError("联络站不存在")


@transaction.atomic
def report_file_by_liaison(
    *,
    actor: User,
    station: LiaisonStation,
    category: Category,
    description: str,
    lat=None,
    lng=None,
    address: str = "",
    photos: Sequence[Upload] = (),
    contact_name: str = "",
    contact_phone: str = "",
) -> ProblemReport:
    """File a report for the station's village. Without a point the station's own place is used;
    the report is routed like any other (the polygon, then the squad)."""
    _require_liaison(actor, station)
    if not station.is_active:
        raise field_error("station", "该联络站已停用")
    if lat is None and station.lat is not None:
        lat, lng = station.lat, station.lng
    photos = check_photos(actor, photos)
    report = report_create(
        channel=ProblemReport.Channel.LIAISON,
        category=category,
        description=description,
        photos=photos,
        lat=lat,
        lng=lng,
        address=address or station.name,
        street=station.street,
        reporter=actor,
        contact_name=contact_name,
        contact_phone=contact_phone,
    )
    LiaisonReport.objects.create(report=report, station=station)
    return report


@transaction.atomic
def liaison_note(*, actor: User, report: ProblemReport, note: str):
    """A liaison officer adds what they learn on the ground; the squad handling it is told."""
    if not selectors.liaison_reports_for(actor).filter(pk=report.pk).exists():
        raise NotFoundError()
    event = record_event(report, Action.NOTE, actor=actor, note=f"联络员：{note}", internal=True)
    tell_team(report, "联络员补充情况", f"线索 #{report.pk}：{note[:80]}", key=f"event:{event.pk}")
    return event
