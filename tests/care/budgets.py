"""Quality-gate registrations for the home-care endpoints (see tests/quality/registry.py)."""

from care.models import ProviderPosition
from linli.accounts.models import Role
from tests import factories
from tests.care import budgets_alarms_childcare as alarms_childcare
from tests.care import factories as cf
from tests.support.personas import Persona


def care_worker(community) -> Persona:
    from care import services

    user = factories.make_user()
    services.provider_member_add(provider=cf.make_provider(community), user=user, position=ProviderPosition.WORKER)
    return Persona("care_worker", user, community)


def care_manager(community) -> Persona:
    from care import services

    user = factories.make_user(is_staff=True)
    services.provider_member_add(provider=cf.make_provider(community), user=user, position=ProviderPosition.MANAGER)
    return Persona("care_manager", user, community)


PERSONAS = {"care_worker": care_worker, "care_manager": care_manager}


def _provider_for(persona, position):
    """The provider where the persona holds `position`; for another persona (the fuzzer calls makers as
    any persona) a provider of someone else, whose objects the persona then may not see."""
    from care.models import Provider
    from care.selectors import provider_memberships

    held = provider_memberships(persona.user, position=position).values("scope_id")
    provider = Provider.objects.filter(pk__in=held).first()
    if provider is None:
        provider = cf.make_provider(persona.community)
        cf.make_member(provider, position)
    return provider


def _worker_of(provider, persona):
    from care.selectors import is_worker_of

    if is_worker_of(persona.user, provider.pk):
        return persona.user
    return cf.make_member(provider)


def _staff_user(persona):
    """The persona when it is community staff of its community, else a superuser."""
    from care.selectors import staff_community_ids

    if persona.community.pk in staff_community_ids(persona.user):
        return persona.user
    return factories.make_user(is_superuser=True)


def _home(persona):
    """Make the persona a resident with a home in its community (once)."""
    from care.selectors import home_of

    if home_of(persona.user, persona.community.pk) is None:
        room = cf.make_room(persona.community)
        from django.contrib.contenttypes.models import ContentType

        from linli.regions.models import Room

        factories.grant(
            persona.user,
            Role.RESIDENT,
            community=persona.community,
            scope_type=ContentType.objects.get_for_model(Room),
            scope_id=room.pk,
            position="owner",
        )


def _service(community):
    return cf.make_service(cf.make_provider(community), community)


# --- lists ----------------------------------------------------------------------------------------------


def services_list(persona, n):
    provider = cf.make_provider(persona.community)
    for _ in range(n):
        cf.make_service(provider, persona.community)


def my_orders(persona, n):
    _home(persona)
    service = _service(persona.community)
    worker = cf.make_member(service.provider)
    for i in range(n):
        cf.make_order(persona.user, service, upto="dispatched" if i % 2 else "placed", worker=worker)


def my_entries(persona, n):
    from care.models import SubsidyAccount

    _home(persona)
    if not SubsidyAccount.objects.filter(elder=persona.user).exists():
        cf.give_subsidy(persona.user, persona.community, amount_fen=1_000_000)  # the first entry: a grant
        n -= 1
    service = _service(persona.community)
    for _ in range(n):
        cf.make_order(persona.user, service)


def my_visits(persona, n):
    from care import services

    staff = factories.make_user(is_superuser=True)
    for i in range(n):
        elder = cf.make_elder(persona.community)
        services.visit_plan_create(by=staff, elder=elder, visitor=persona.user, weekday=i % 7)


def assignments(persona, n):
    provider = _provider_for(persona, ProviderPosition.WORKER)
    service = cf.make_service(provider, persona.community)
    worker = _worker_of(provider, persona)
    for _ in range(n):
        cf.make_order(cf.make_elder(persona.community), service, upto="dispatched", worker=worker)


def provider_orders(persona, n):
    provider = _provider_for(persona, ProviderPosition.MANAGER)
    service = cf.make_service(provider, persona.community)
    worker = cf.make_member(provider)
    for i in range(n):
        cf.make_order(
            cf.make_elder(persona.community), service, upto="dispatched" if i % 2 else "placed", worker=worker
        )


def subsidy_accounts(persona, n):
    for _ in range(n):
        cf.give_subsidy(cf.make_elder(persona.community), persona.community, amount_fen=20000, by=_staff_user(persona))


def visit_plans(persona, n):
    from care import services

    for i in range(n):
        services.visit_plan_create(
            by=_staff_user(persona),
            elder=cf.make_elder(persona.community),
            visitor=factories.make_user(),
            weekday=i % 7,
        )


def staff_visits(persona, n):
    from care import services

    for i in range(n):
        services.visit_plan_create(
            by=_staff_user(persona),
            elder=cf.make_elder(persona.community),
            visitor=factories.make_user(),
            weekday=i % 7,
        )


LIST_DATA = {
    "/api/v1/care/services/": ("resident", services_list),
    "/api/v1/care/orders/": ("resident", my_orders),
    "/api/v1/care/subsidy/entries/": ("resident", my_entries),
    "/api/v1/care/visits/": ("resident", my_visits),
    "/api/v1/staff/care/assignments/": ("care_worker", assignments),
    "/api/v1/staff/care/provider-orders/": ("care_manager", provider_orders),
    "/api/v1/staff/care/subsidy-accounts/": ("staff", subsidy_accounts),
    "/api/v1/staff/care/visit-plans/": ("staff", visit_plans),
    "/api/v1/staff/care/visits/": ("staff", staff_visits),
}


# --- other GETs -------------------------------------------------------------------------------------------


def a_service(persona):
    return {"id": _service(persona.community).pk}


def my_order(persona):
    _home(persona)
    order = cf.make_order(persona.user, _service(persona.community), upto="done")
    return {"id": order.pk}


def my_balance(persona):
    _home(persona)
    cf.give_subsidy(persona.user, persona.community, amount_fen=20000)
    return {}


def my_visit(persona):
    my_visits(persona, 1)
    from care.models import Visit

    return {"id": Visit.objects.filter(visitor=persona.user).order_by("-pk").first().pk}


def an_assignment(persona):
    from care.models import CareOrder

    before = CareOrder.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    assignments(persona, 1)
    return {"id": CareOrder.objects.filter(pk__gt=before).order_by("pk").first().pk}


def a_provider_order(persona):
    from care.models import CareOrder

    before = CareOrder.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    provider_orders(persona, 1)
    return {"id": CareOrder.objects.filter(pk__gt=before).order_by("pk").first().pk}


def provider_workers(persona, n):
    provider = _provider_for(persona, ProviderPosition.MANAGER)
    for _ in range(n):
        cf.make_member(provider)


LIST_DATA["/api/v1/staff/care/provider-workers/"] = ("care_manager", provider_workers)


def a_subsidy_account(persona):
    subsidy_accounts(persona, 1)
    from care.models import SubsidyAccount

    return {"id": SubsidyAccount.objects.filter(community=persona.community).order_by("-pk").first().pk}


def a_visit_plan(persona):
    visit_plans(persona, 1)
    from care.models import VisitPlan

    return {"id": VisitPlan.objects.filter(community=persona.community).order_by("-pk").first().pk}


def a_staff_visit(persona):
    staff_visits(persona, 1)
    from care.models import Visit

    return {"id": Visit.objects.filter(community=persona.community).order_by("-pk").first().pk}


DETAIL_BUDGETS = {
    # 1 token user, 1 the service with provider and community
    "/api/v1/care/services/{id}/": ("resident", a_service, 2),
    # 1 token user, 1 the order (service, provider, community, home joined), 1 photos, 1 timeline with actors,
    # 1 its people (narrow, not joined)
    "/api/v1/care/orders/{id}/": ("resident", my_order, 5),
    # 1 token user, 1 the account with its community
    "/api/v1/care/subsidy/": ("resident", my_balance, 2),
    # 1 token user, 1 the visit with its people and home
    "/api/v1/care/visits/{id}/": ("resident", my_visit, 2),
    # 1 token user, 1 my roles, 1 the order, 1 photos, 1 timeline with actors, 1 its people
    "/api/v1/staff/care/assignments/{id}/": ("care_worker", an_assignment, 6),
    "/api/v1/staff/care/provider-orders/{id}/": ("care_manager", a_provider_order, 6),
    # 1 token user, 1 my roles, 1 the account with elder, community and approver
    "/api/v1/staff/care/subsidy-accounts/{id}/": ("staff", a_subsidy_account, 3),
    "/api/v1/staff/care/visit-plans/{id}/": ("staff", a_visit_plan, 3),
    "/api/v1/staff/care/visits/{id}/": ("staff", a_staff_visit, 3),
}


def give_care(user):
    community = factories.make_community()
    room = cf.make_room(community)
    from django.contrib.contenttypes.models import ContentType

    from linli.regions.models import Room

    factories.grant(
        user, Role.RESIDENT, community=community, scope_type=ContentType.objects.get_for_model(Room), scope_id=room.pk
    )
    cf.give_subsidy(user, community, amount_fen=20000)
    service = _service(community)
    cf.make_order(user, service, upto="rated", note="请带上李秀英的药盒")
    return ["请带上李秀英的药盒"]


def give_care_and_alarms_and_children(user):
    return give_care(user) + alarms_childcare.give_alarms_and_children(user)


PRIVACY_DATA = {"care": give_care_and_alarms_and_children}
# orders with service, provider and room joined; subsidy entries; visits with visitor; orders served; visits made;
# alarms; children; applications with child and class; fee bills with their child
EXPORT_QUERIES = {"care": 9}

# 一键呼叫 and 托育 (budgets_alarms_childcare.py)
LIST_DATA.update(alarms_childcare.LIST_DATA)
DETAIL_BUDGETS.update(alarms_childcare.DETAIL_BUDGETS)
