"""Reads that need care: who belongs to which team, routing (赋权清单), what each person may see,
nearby open reports (duplicates) and the statistics."""

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from enforcement import conf, geo
from enforcement.models import (
    Boundary,
    Case,
    Category,
    DispatchOffer,
    Empowerment,
    Finding,
    FindingPhoto,
    Inspection,
    LiaisonStation,
    Matter,
    OfficerPosition,
    ProblemReport,
    ReportFollower,
    ReportHistory,
    ReportPhoto,
    ReportRequest,
    Shift,
    Team,
)
from linli.accounts.models import Membership, Role, User
from linli.regions.models import Street
from linli.uploads.selectors import attachments

TEAM_ROLES = (Role.OFFICER, Role.GRID_WORKER)
LEADER = "leader"


# --- teams and people --------------------------------------------------------------------------


def team_type() -> ContentType:
    return ContentType.objects.get_for_model(Team)


def team_memberships(*roles: Role) -> QuerySet[Membership]:
    return Membership.objects.filter(scope_type=team_type(), role__in=roles or TEAM_ROLES)


def team_ids_of(user: User, *roles: Role) -> set[int]:
    """The teams `user` belongs to as an officer or grid worker (or only the given roles)."""
    if not user.is_authenticated:
        return set()
    return set(team_memberships(*roles).filter(user=user).values_list("scope_id", flat=True))


def is_team_member(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or team_memberships().filter(user=user).exists())


def is_dispatcher(user: User) -> bool:
    """Officers of the district command centre (and superusers) dispatch and approve."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    centres = Team.objects.filter(kind=Team.Kind.COMMAND_CENTER).values("pk")
    return team_memberships(Role.OFFICER).filter(user=user, scope_id__in=centres).exists()


def is_officer_of(user: User, team_id: int | None) -> bool:
    return team_id is not None and team_memberships(Role.OFFICER).filter(user=user, scope_id=team_id).exists()


def is_leader_of(user: User, team_id: int | None) -> bool:
    return (
        team_id is not None
        and team_memberships(Role.OFFICER).filter(user=user, scope_id=team_id, position=LEADER).exists()
    )


def officer_ids(team_id: int) -> list[int]:
    return list(team_memberships(Role.OFFICER).filter(scope_id=team_id).values_list("user_id", flat=True))


def leader_ids(team_id: int) -> list[int]:
    return list(
        team_memberships(Role.OFFICER).filter(scope_id=team_id, position=LEADER).values_list("user_id", flat=True)
    )


def dispatcher_ids() -> list[int]:
    centres = Team.objects.filter(kind=Team.Kind.COMMAND_CENTER).values("pk")
    return list(team_memberships(Role.OFFICER).filter(scope_id__in=centres).values_list("user_id", flat=True))


def teams_with_counts() -> QuerySet[Team]:
    open_reports = Count("reports", filter=Q(reports__status__in=ProblemReport.WORKING_STATUSES))
    return (
        Team.objects.filter(is_active=True)
        .select_related("street")
        .prefetch_related(Prefetch("matters", queryset=Matter.objects.only("pk")))
        .annotate(open_reports=open_reports)
        .order_by("kind", "name")
    )


# --- routing -----------------------------------------------------------------------------------


def is_empowered(street_id: int | None, matter_id: int, day: date) -> bool:
    if street_id is None:
        return False
    return (
        Empowerment.objects.filter(street_id=street_id, matter_id=matter_id, since__lte=day)
        .filter(Q(until__isnull=True) | Q(until__gt=day))
        .exists()
    )


def responsible_team(*, matter: Matter, street_id: int | None, day: date, lat=None, lng=None) -> Team | None:
    """The township's squad for the matter at the point (`squad_for`) if the township is empowered
    for the matter on that day, else the district department of the matter's domain (None when
    neither exists: the dispatcher decides)."""
    if is_empowered(street_id, matter.pk, day):
        team = squad_for(street_id=street_id, matter_id=matter.pk, lat=lat, lng=lng)
        if team is not None:
            return team
    department_id = matter.domain.department_id
    if department_id is None:
        return None
    return Team.objects.filter(pk=department_id, is_active=True).first()


def haversine_m(lat1, lng1, lat2, lng2) -> float:
    lat1, lng1, lat2, lng2 = (math.radians(float(v)) for v in (lat1, lng1, lat2, lng2))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(min(1.0, a)))


def _box(lat, lng, radius_m: float) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """A lat/lng bounding box around a point, a little larger than the circle."""
    lat_f = float(lat)
    dlat = radius_m / 111_320 * 1.01
    dlng = radius_m / (111_320 * max(0.01, math.cos(math.radians(lat_f)))) * 1.01
    q = Decimal("0.000001")
    return (
        Decimal(lat_f - dlat).quantize(q),
        Decimal(lat_f + dlat).quantize(q),
        Decimal(float(lng) - dlng).quantize(q),
        Decimal(float(lng) + dlng).quantize(q),
    )


# --- geography: boundaries, squads, liaison stations ------------------------------------------


def boundaries_at(kind: str, lat, lng) -> list[Boundary]:
    """The boundaries of `kind` containing the point: the bbox columns prefilter in the database,
    shapely decides. Ordered by id, so a point on a shared border goes to the older boundary."""
    lat_f, lng_f = float(lat), float(lng)
    candidates = Boundary.objects.filter(
        kind=kind, min_lat__lte=lat_f, max_lat__gte=lat_f, min_lng__lte=lng_f, max_lng__gte=lng_f
    ).order_by("id")
    return [b for b in candidates if geo.contains(b.geometry, lat_f, lng_f)]


def township_at(lat, lng) -> Street | None:
    """The township (乡镇/街道) whose polygon contains the point; None outside every polygon."""
    found = boundaries_at(Boundary.Kind.TOWNSHIP, lat, lng)
    return found[0].street if found else None


def village_at(lat, lng) -> Boundary | None:
    found = boundaries_at(Boundary.Kind.VILLAGE, lat, lng)
    return found[0] if found else None


def squad_for(*, street_id: int, matter_id: int, lat=None, lng=None) -> Team | None:
    """The township's squad for a matter at a point: among its active squads whose matters include
    the matter (or who list none) and whose area (if any) contains the point, the most specific one:
    an area first, then an explicit matter list, then the oldest."""
    squads = list(
        Team.objects.filter(kind=Team.Kind.TOWNSHIP_TEAM, street_id=street_id, is_active=True)
        .prefetch_related(Prefetch("areas", queryset=Boundary.objects.filter(kind=Boundary.Kind.SQUAD)))
        .prefetch_related(Prefetch("matters", queryset=Matter.objects.only("pk")))
        .order_by("id")
    )
    ranked = []
    for squad in squads:
        matter_ids = {m.pk for m in squad.matters.all()}
        if matter_ids and matter_id not in matter_ids:
            continue
        areas = list(squad.areas.all())
        if areas and (lat is None or not any(geo.contains(a.geometry, lat, lng) for a in areas)):
            continue
        ranked.append((not areas, not matter_ids, squad.pk, squad))
    return min(ranked, key=lambda r: r[:3])[3] if ranked else None


def boundaries() -> QuerySet[Boundary]:
    return Boundary.objects.select_related("street", "team").order_by("kind", "street_id", "name")


def stations() -> QuerySet[LiaisonStation]:
    return LiaisonStation.objects.select_related("street", "village").order_by("street_id", "name")


def station_type() -> ContentType:
    return ContentType.objects.get_for_model(LiaisonStation)


def station_ids_of(user: User) -> set[int]:
    """The liaison stations `user` is a liaison officer (村联络员) of."""
    if not user.is_authenticated:
        return set()
    memberships = Membership.objects.filter(user=user, role=Role.LIAISON_OFFICER, scope_type=station_type())
    return set(memberships.values_list("scope_id", flat=True))


def liaison_reports_for(user: User) -> QuerySet[ProblemReport]:
    """The reports filed through the user's stations (any liaison officer of the station follows them)."""
    return _reports().filter(liaison__station_id__in=station_ids_of(user)).select_related("liaison__station")


def liaison_report_detail(queryset: QuerySet[ProblemReport]) -> QuerySet[ProblemReport]:
    history = ReportHistory.objects.select_related("actor", "team").order_by("created_at", "id")
    return queryset.prefetch_related(attachments("photo_links", ReportPhoto), Prefetch("history", queryset=history))


# --- duty: rosters, positions, offers ----------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    officer_id: int
    distance_m: float | None
    source: str  # "app", "office" or "" (no place known)


def on_duty_officer_ids(team_id: int, now: datetime) -> list[int]:
    shifts = Shift.objects.filter(team_id=team_id, starts_at__lte=now, ends_at__gt=now)
    members = team_memberships(Role.OFFICER).filter(scope_id=team_id).values("user_id")
    officers = Shift.officers.through.objects.filter(shift__in=shifts, user_id__in=members)
    return sorted(set(officers.values_list("user_id", flat=True)))


def duty_candidates(report: ProblemReport, team: Team, now: datetime, *, exclude=()) -> list[Candidate]:
    """On-duty officers of `team` nearest the report first: an officer's recent app position, else the
    squad's office; without a place for the report (or anyone) the order is by officer id."""
    ids = [i for i in on_duty_officer_ids(team.pk, now) if i not in set(exclude)]
    fresh_after = now - conf.position_max_age()
    positions = {p.user_id: p for p in OfficerPosition.objects.filter(user_id__in=ids, reported_at__gte=fresh_after)}
    found = []
    for officer_id in ids:
        place, source = None, ""
        if officer_id in positions:
            place, source = (positions[officer_id].lat, positions[officer_id].lng), "app"
        elif team.lat is not None and team.lng is not None:
            place, source = (team.lat, team.lng), "office"
        distance = None
        if place is not None and report.lat is not None:
            distance = haversine_m(report.lat, report.lng, *place)
        found.append(Candidate(officer_id, distance, source))
    return sorted(found, key=lambda c: (c.distance_m is None, c.distance_m or 0.0, c.officer_id))


def offers_for_staff(user: User) -> QuerySet[DispatchOffer]:
    """Dispatchers see every offer; an officer the ones made to them and to their teams' officers."""
    queryset = DispatchOffer.objects.select_related("report__category", "team").with_users("officer")
    if not user.is_authenticated:
        return queryset.none()
    if is_dispatcher(user):
        return queryset
    teams = team_memberships().filter(user=user).values("scope_id")
    return queryset.filter(Q(officer=user) | Q(team_id__in=teams))


def shifts_for_staff(user: User) -> QuerySet[Shift]:
    queryset = Shift.objects.select_related("team").prefetch_related("officers")
    if not user.is_authenticated:
        return queryset.none()
    if is_dispatcher(user):
        return queryset
    return queryset.filter(team_id__in=team_memberships().filter(user=user).values("scope_id"))


@dataclass(frozen=True)
class Nearby:
    report: ProblemReport
    distance_m: float


def reports_nearby(*, category_id: int, lat, lng, radius_m: float | None = None) -> list[Nearby]:
    """Open reports of the category within `radius_m` (default ~50 m): a bounding-box query, then
    the exact great-circle distance in Python, nearest first. Portable to every database."""
    radius = conf.duplicate_radius_m() if radius_m is None else radius_m
    lat_lo, lat_hi, lng_lo, lng_hi = _box(lat, lng, radius)
    candidates = ProblemReport.objects.filter(
        category_id=category_id,
        status__in=ProblemReport.OPEN_STATUSES,
        lat__range=(lat_lo, lat_hi),
        lng__range=(lng_lo, lng_hi),
    ).select_related("category")[:200]
    found = [Nearby(r, haversine_m(lat, lng, r.lat, r.lng)) for r in candidates]
    return sorted((n for n in found if n.distance_m <= radius), key=lambda n: (n.distance_m, n.report.pk))


# --- reports: who sees what --------------------------------------------------------------------


def _reports() -> QuerySet[ProblemReport]:
    return ProblemReport.objects.select_related("category", "matter__domain", "team", "street")


def _staff_reports() -> QuerySet[ProblemReport]:
    # People in one narrow query after the page rather than two joins of the wide user table: with
    # them, PostgreSQL spent ~50 ms planning the staff page query against ~1 ms running it.
    return _reports().with_users("assignee", "reporter")


def all_reports() -> QuerySet[ProblemReport]:
    """Unscoped: only for re-reading a report the caller has just been allowed to act on."""
    return _staff_reports()


def with_overdue(queryset: QuerySet[ProblemReport], now: datetime | None = None) -> QuerySet[ProblemReport]:
    now = now or timezone.now()
    overdue = Q(status__in=ProblemReport.WORKING_STATUSES, deadline_at__lt=now)
    return queryset.annotate(is_overdue=ExpressionWrapper(overdue, output_field=BooleanField()))


def reports_for_staff(user: User) -> QuerySet[ProblemReport]:
    """Dispatchers see everything; officers and grid workers see their teams' reports and the
    ones they filed. Anything else is 404."""
    queryset = with_overdue(_staff_reports())
    if not user.is_authenticated:
        return queryset.none()
    if is_dispatcher(user):
        return queryset
    teams = team_memberships().filter(user=user).values("scope_id")
    return queryset.filter(Q(team_id__in=teams) | Q(reporter=user))


def staff_report_detail(queryset: QuerySet[ProblemReport]) -> QuerySet[ProblemReport]:
    history = ReportHistory.objects.select_related("actor", "team").order_by("created_at", "id")
    requests = ReportRequest.objects.select_related("team", "requested_by", "decided_by").order_by("created_at")
    return queryset.select_related("device", "merged_into").prefetch_related(
        attachments("photo_links", ReportPhoto),
        Prefetch("history", queryset=history),
        Prefetch("requests", queryset=requests),
        Prefetch("cases", queryset=Case.objects.order_by("filed_at")),
    )


def reports_of(user: User) -> QuerySet[ProblemReport]:
    """A resident's own reports and the ones they follow."""
    if not user.is_authenticated:
        return ProblemReport.objects.none()
    follows = ReportFollower.objects.filter(user=user, report=OuterRef("pk"))
    return (
        _reports()
        .annotate(following=Exists(follows))
        .filter(Q(reporter=user) | Q(following=True))
        .prefetch_related(attachments("photo_links", ReportPhoto))
    )


def public_timeline(queryset: QuerySet[ProblemReport]) -> QuerySet[ProblemReport]:
    public = ReportHistory.objects.filter(action__in=ReportHistory.PUBLIC_ACTIONS, internal=False).order_by(
        "created_at", "id"
    )
    return queryset.prefetch_related(Prefetch("history", queryset=public, to_attr="public_events"))


def followable_reports() -> QuerySet[ProblemReport]:
    """Reports anyone may follow once they were offered as "already reported": open, public category."""
    return ProblemReport.objects.filter(status__in=ProblemReport.OPEN_STATUSES, category__is_public=True)


def requests_for_dispatcher(user: User) -> QuerySet[ReportRequest]:
    queryset = ReportRequest.objects.select_related("report__category", "team", "requested_by", "decided_by")
    if not user.is_authenticated:
        return queryset.none()
    if is_dispatcher(user):
        return queryset
    return queryset.filter(team_id__in=team_memberships().filter(user=user).values("scope_id"))


def public_categories() -> QuerySet[Category]:
    return Category.objects.filter(is_public=True, matter__is_active=True).select_related("matter__domain")


# --- inspections and cases ---------------------------------------------------------------------


def inspections_for_staff(user: User) -> QuerySet[Inspection]:
    queryset = (
        Inspection.objects.select_related("target__street", "lead_team", "scenario", "created_by")
        .annotate(team_count=Count("teams", distinct=True), finding_count=Count("findings", distinct=True))
        .order_by("-planned_at", "-id")
    )
    if not user.is_authenticated:
        return queryset.none()
    if is_dispatcher(user):
        return queryset
    mine = team_memberships().filter(user=user).values("scope_id")
    return queryset.filter(Exists(Inspection.teams.through.objects.filter(inspection=OuterRef("pk"), team__in=mine)))


def inspection_detail(queryset: QuerySet[Inspection]) -> QuerySet[Inspection]:
    findings = (
        Finding.objects.select_related("matter", "team", "recorded_by", "case")
        .prefetch_related(attachments("photo_links", FindingPhoto))
        .order_by("created_at", "id")
    )
    return queryset.prefetch_related(
        Prefetch("matters", queryset=Matter.objects.select_related("domain")),
        Prefetch("teams", queryset=Team.objects.select_related("street")),
        Prefetch("findings", queryset=findings),
    )


def findings_for_staff(user: User) -> QuerySet[Finding]:
    visible = inspections_for_staff(user).values("pk")
    return (
        Finding.objects.filter(inspection__in=visible)
        .select_related("inspection__target__street", "matter", "team")
        .prefetch_related(attachments("photo_links", FindingPhoto))
    )


def cases_for_staff(user: User) -> QuerySet[Case]:
    queryset = Case.objects.select_related("matter__domain", "team", "filed_by", "report")
    if not user.is_authenticated:
        return queryset.none()
    if is_dispatcher(user):
        return queryset
    return queryset.filter(team_id__in=team_memberships().filter(user=user).values("scope_id"))


def case_detail(queryset: QuerySet[Case]) -> QuerySet[Case]:
    from enforcement.models import CaseHistory

    return queryset.prefetch_related(
        Prefetch("history", queryset=CaseHistory.objects.select_related("actor").order_by("created_at", "id"))
    )
