"""Factories of party members and the alliance (tests/participation, the quality gates' budgets)."""

import itertools
from datetime import date, timedelta

from django.utils import timezone

from linli.accounts.models import Role
from participation.models import Alliance, AllianceUnit, PartyMember, Resource, UnitKind
from participation.services import alliance as alliance_services
from participation.services import party as party_services
from tests import factories

_seq = itertools.count(1)


def resident_of(community, **kw):
    user = factories.make_resident(**kw)
    factories.grant(user, Role.RESIDENT, community=community)
    return user


def staff_of(community, **kw):
    user = factories.make_user(is_staff=True, **kw)
    factories.grant(user, Role.COMMUNITY_STAFF, community=community)
    return user


def make_member(community, *, user=None, kind=PartyMember.Kind.WORKPLACE, confirmed_by=None) -> PartyMember:
    user = user or resident_of(community)
    member = party_services.party_member_register(
        user=user,
        community=community,
        kind=kind,
        organisation="测试党支部",
        joined_on=date(2010, 7, 1),
        workplace="测试单位" if kind == PartyMember.Kind.WORKPLACE else "",
    )
    if confirmed_by is not None:
        party_services.party_member_confirm(member=member, actor=confirmed_by)
    return member


def make_alliance(*, street=None, community=None) -> Alliance:
    return Alliance.objects.create(name=f"测试联盟{next(_seq)}", street=street, community=community)


def make_unit(alliance, *, contact=None, **kw) -> AllianceUnit:
    defaults = {
        "name": f"共建单位{next(_seq)}",
        "kind": UnitKind.SCHOOL,
        "contact_name": "周老师",
        "contact_phone": "13905701001",
        "joined_on": date(2026, 1, 1),
    }
    unit = AllianceUnit.objects.create(alliance=alliance, **{**defaults, **kw})
    if contact is not None:
        alliance_services.unit_contact_add(unit=unit, user=contact)
    return unit


def make_resource(unit, *, publish=True, **kw) -> Resource:
    defaults = {"kind": "venue", "title": f"资源{next(_seq)}", "availability": "周末"}
    return alliance_services.resource_create(unit=unit, publish=publish, **{**defaults, **kw})


def make_project(need_community, alliance, *, staff, resources=None, title=None):
    need = alliance_services.need_create(alliance=alliance, community=need_community, actor=staff, title="需求")
    resources = resources or [make_resource(make_unit(alliance))]
    today = timezone.localdate()
    return alliance_services.project_create(
        need=need,
        resources=resources,
        title=title or f"项目{next(_seq)}",
        starts_on=today,
        ends_on=today + timedelta(days=30),
        actor=staff,
    )
