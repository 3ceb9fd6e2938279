"""Quality-gate registrations for party members and the alliance (see tests/quality/registry.py)."""

from datetime import date

from django.contrib.contenttypes.models import ContentType

from linli.accounts.models import Membership, Role
from participation.models import AllianceUnit, PartyMember
from participation.services import alliance as alliance_services
from participation.services import party as party_services
from tests import factories
from tests.participation import party_factories as pf
from tests.support.personas import Persona


def unit_member(community) -> Persona:
    """The contact (共建单位联络人) of a unit of the community's alliance."""
    user = factories.make_resident()
    pf.make_unit(pf.make_alliance(community=community), contact=user)
    return Persona("unit_member", user, community)


def _unit(persona) -> AllianceUnit:
    """The persona's unit; for another persona (the fuzzer aims every persona at these paths) a unit
    of the community's alliance that is not theirs."""
    scope = Membership.objects.filter(
        user=persona.user, role=Role.ALLIANCE_MEMBER, scope_type=ContentType.objects.get_for_model(AllianceUnit)
    ).first()
    if scope is None:
        return pf.make_unit(pf.make_alliance(community=persona.community))
    return AllianceUnit.objects.get(pk=scope.scope_id)


def _alliance(community):
    return pf.make_alliance(community=community)


def _project(community, *, started=True):
    staff = pf.staff_of(community)
    alliance = _alliance(community)
    project = pf.make_project(community, alliance, staff=staff, resources=[pf.make_resource(pf.make_unit(alliance))])
    if started:
        alliance_services.project_start(project=project, actor=staff)
    return project


def _reported_member(community, user=None):
    staff = pf.staff_of(community)
    member = pf.make_member(community, user=user, confirmed_by=staff)
    party_services.party_report_create(member=member, community=community)
    return member


# --- lists: maker(persona, n) creates n more rows the persona sees -------------------------------


def my_registrations(persona, n):
    # Past (rejected) registrations, and one confirmed with a 报到 record.
    for _ in range(n - 1):
        PartyMember.objects.create(
            user=persona.user,
            community=persona.community,
            kind=PartyMember.Kind.COMMUNITY,
            organisation="测试党支部",
            joined_on=date(2010, 7, 1),
            status=PartyMember.Status.REJECTED,
        )
    if not PartyMember.objects.filter(user=persona.user, status__in=PartyMember.ACTIVE_STATUSES).exists():
        _reported_member(persona.community, user=persona.user)
    else:
        PartyMember.objects.create(
            user=persona.user,
            community=persona.community,
            kind=PartyMember.Kind.COMMUNITY,
            organisation="测试党支部",
            joined_on=date(2010, 7, 1),
            status=PartyMember.Status.REVOKED,
        )


def community_members(persona, n):
    for _ in range(n):
        _reported_member(persona.community)


def community_reports(persona, n):
    community_members(persona, n)


def offered_resources(persona, n):
    unit = pf.make_unit(_alliance(persona.community))
    for _ in range(n):
        pf.make_resource(unit)


def community_projects(persona, n):
    for _ in range(n):
        _project(persona.community)


def community_alliances(persona, n):
    for _ in range(n):
        alliance = _alliance(persona.community)
        pf.make_resource(pf.make_unit(alliance))
        pf.make_unit(alliance)


def community_needs(persona, n):
    staff = pf.staff_of(persona.community)
    alliance = _alliance(persona.community)
    for _ in range(n):
        alliance_services.need_create(alliance=alliance, community=persona.community, actor=staff, title="需求")


def unit_resources(persona, n):
    unit = _unit(persona)
    for _ in range(n):
        pf.make_resource(unit)


def unit_projects(persona, n):
    unit = _unit(persona)
    staff = pf.staff_of(persona.community)
    for _ in range(n):
        pf.make_project(persona.community, unit.alliance, staff=staff, resources=[pf.make_resource(unit)])


LIST_DATA = {
    "/api/v1/participation/party-members/": ("resident", my_registrations),
    "/api/v1/staff/participation/party-members/": ("staff", community_members),
    "/api/v1/staff/participation/party-reports/": ("staff", community_reports),
    "/api/v1/participation/resources/": ("resident", offered_resources),
    "/api/v1/participation/projects/": ("resident", community_projects),
    "/api/v1/staff/participation/alliances/": ("staff", community_alliances),
    "/api/v1/staff/participation/resources/": ("staff", offered_resources),
    "/api/v1/staff/participation/needs/": ("staff", community_needs),
    "/api/v1/staff/participation/projects/": ("staff", community_projects),
    "/api/v1/alliance/resources/": ("unit_member", unit_resources),
    "/api/v1/alliance/projects/": ("unit_member", unit_projects),
}


# --- other GETs: maker(persona) → path parameters of an object the persona may see -------------


def my_registration(persona):
    # Made once per operation, and several operations share this maker: reuse the active registration.
    member = PartyMember.objects.filter(user=persona.user, status__in=PartyMember.ACTIVE_STATUSES).first()
    if member is None:
        if not Membership.objects.filter(user=persona.user, role=Role.RESIDENT, community=persona.community).exists():
            factories.grant(persona.user, Role.RESIDENT, community=persona.community)  # staff, for the fuzzer
        member = _reported_member(persona.community, user=persona.user)
    return {"id": member.pk}


def a_community_member(persona):
    return {"id": _reported_member(persona.community).pk}


def an_offered_resource(persona):
    return {"id": pf.make_resource(pf.make_unit(_alliance(persona.community))).pk}


def a_community_project(persona):
    return {"id": _project(persona.community).pk}


def a_community_alliance(persona):
    alliance = _alliance(persona.community)
    pf.make_resource(pf.make_unit(alliance))
    return {"id": alliance.pk}


def a_community_need(persona):
    staff = pf.staff_of(persona.community)
    need = alliance_services.need_create(
        alliance=_alliance(persona.community), community=persona.community, actor=staff, title="需求"
    )
    return {"id": need.pk}


def a_unit_resource(persona):
    return {"id": pf.make_resource(_unit(persona)).pk}


def a_unit_project(persona):
    unit = _unit(persona)
    staff = pf.staff_of(persona.community)
    return {"id": pf.make_project(persona.community, unit.alliance, staff=staff, resources=[pf.make_resource(unit)]).pk}


def some_stats(persona):
    _reported_member(persona.community)
    _project(persona.community)
    return {}


DETAIL_BUDGETS = {
    # 1 token user, 1 the registration (community joined), 1 its reports (community joined)
    "/api/v1/participation/party-members/{id}/": ("resident", my_registration, 3),
    # 1 token user, 1 my roles, 1 the registration (user, community), 1 its reports, 1 its history with actors
    "/api/v1/staff/participation/party-members/{id}/": ("staff", a_community_member, 5),
    # 1 token user, 1 my roles, 1 the resource (unit, alliance joined)
    "/api/v1/participation/resources/{id}/": ("resident", an_offered_resource, 3),
    # 1 token user, 1 my roles, 1 the project (alliance, community, need), 1 its resources with units
    "/api/v1/participation/projects/{id}/": ("resident", a_community_project, 4),
    # 1 token user, 1 my roles, 1 the alliance, 1 its units with resource counts
    "/api/v1/staff/participation/alliances/{id}/": ("staff", a_community_alliance, 4),
    # 1 token user, 1 my roles, 1 the resource
    "/api/v1/staff/participation/resources/{id}/": ("staff", an_offered_resource, 3),
    # 1 token user, 1 my roles, 1 the need (alliance, community)
    "/api/v1/staff/participation/needs/{id}/": ("staff", a_community_need, 3),
    # 1 token user, 1 my roles, 1 the project, 1 its resources, 1 its history with actors
    "/api/v1/staff/participation/projects/{id}/": ("staff", a_community_project, 5),
    # 1 token user, 1 my roles (the unit is in them), 1 the resource
    "/api/v1/alliance/resources/{id}/": ("unit_member", a_unit_resource, 3),
    # 1 token user, 1 my roles, 1 the project (the unit's projects as a subquery), 1 its resources
    "/api/v1/alliance/projects/{id}/": ("unit_member", a_unit_project, 4),
    # 1 token user, 1 my roles, 3 party members (by kind, 报到, service), 2 projects by status, resources by kind
    "/api/v1/staff/participation/stats/": ("staff", some_stats, 7),
}

PERSONAS = {"unit_member": unit_member}


def give_party(user):
    community = factories.make_community()
    factories.grant(user, Role.RESIDENT, community=community)
    member = party_services.party_member_register(
        user=user,
        community=community,
        kind=PartyMember.Kind.WORKPLACE,
        organisation="李秀英所在的党支部",
        joined_on=date(2001, 7, 1),
        workplace="李秀英的工作单位",
    )
    party_services.party_member_confirm(member=member, actor=None)
    party_services.party_report_create(member=member, community=community, note="李秀英愿意参与义诊引导")
    return ["李秀英所在的党支部", "李秀英的工作单位", "李秀英愿意参与义诊引导"]


PRIVACY_DATA = {"participation": give_party}
# registrations with their community, their reports, the reports' communities
EXPORT_QUERIES = {"participation": 3}
