"""Reads of 一键呼叫, each scoped to its reader: community staff see their communities' alarms; the
managers and care workers of a home-care provider see the alarms of the communities it serves; an
elder and their family see the elder's. Open alarms come first."""

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When

from care.models import Alarm, AlarmHistory, CareDevice, Provider
from care.selectors import worker_provider_ids
from linli.accounts.models import Role, User
from linli.accounts.selectors import community_ids_for
from linli.family.models import Permission
from linli.family.selectors import principals_of

_RANK = Case(
    When(status=Alarm.Status.OPEN, then=Value(0)),
    When(status=Alarm.Status.ACKNOWLEDGED, then=Value(1)),
    When(status=Alarm.Status.ON_SITE, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def _listed(qs: QuerySet[Alarm]) -> QuerySet[Alarm]:
    return (
        qs.select_related(
            "elder",
            "community",
            "device",
            "binding__room__building__estate",
            "acknowledged_by",
            "arrived_by",
            "closed_by",
        )
        .annotate(rank=_RANK)
        .order_by("rank", "-raised_at", "-id")
    )


def staff_alarm_scope(user: User) -> Q:
    """The alarms a staff member or care worker answers: their communities' and their providers' communities'."""
    communities = community_ids_for(user, Role.COMMUNITY_STAFF)
    served = Provider.objects.filter(pk__in=worker_provider_ids(user), kind=Provider.Kind.HOME_CARE).values(
        "communities"
    )
    return Q(community_id__in=communities) | Q(community_id__in=served)


def alarms_for_staff(user: User) -> QuerySet[Alarm]:
    if not user.is_authenticated:
        return Alarm.objects.none()
    return _listed(Alarm.objects.filter(staff_alarm_scope(user)))


def with_history(qs: QuerySet[Alarm]) -> QuerySet[Alarm]:
    return qs.prefetch_related(
        Prefetch("history", queryset=AlarmHistory.objects.select_related("actor").order_by("created_at", "id"))
    )


def watched_elders(user: User) -> QuerySet:
    """Ids of the elders whose alerts `user` receives (accepted family bindings with 接收告警)."""
    return principals_of(user, permission=Permission.RECEIVE_ALERTS).values("pk")


def alarms_for_family(user: User) -> QuerySet[Alarm]:
    """The alarms of the user themself and of the elders they are bound to with 接收告警."""
    if not user.is_authenticated:
        return Alarm.objects.none()
    return _listed(Alarm.objects.filter(Q(elder=user) | Q(elder_id__in=watched_elders(user))))


def care_devices_for_staff(user: User) -> QuerySet[CareDevice]:
    communities = community_ids_for(user, Role.COMMUNITY_STAFF)
    return CareDevice.objects.filter(community_id__in=communities).select_related("device", "elder", "room")
