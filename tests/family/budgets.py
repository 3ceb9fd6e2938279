"""Quality-gate registrations for the family endpoints (see tests/quality/registry.py)."""

from datetime import date

from linli.accounts.models import Role
from linli.family import services
from linli.family.models import FamilyAct
from tests import factories
from tests.events.factories import make_staff
from tests.family.factories import bind, phone_of


def make_bindings(persona, n):
    """n family members bound to the persona, each with a request, an accept and a permission change."""
    for _ in range(n):
        binding = bind(persona.user, factories.make_resident())
        services.family_binding_set_permissions(binding=binding, by=persona.user, permissions={"pay_for": False})


def one_binding(persona):
    binding = bind(persona.user, factories.make_resident())
    return {"id": binding.pk}


def make_acts(persona, n):
    elder = factories.make_resident()
    for i in range(n):
        FamilyAct.objects.create(
            actor=persona.user,
            beneficiary=elder,
            kind="events.registration",
            object_type="events.registration",
            object_id=i + 1,
            summary="报名「重阳节包饺子」",
        )


def _staff_of(persona):
    """The persona if it is staff of its community, else a new staff member (the fuzzer runs makers as
    every persona: a resident gets the objects too)."""
    if (
        persona.user is not None
        and persona.user.memberships.filter(role=Role.COMMUNITY_STAFF, community=persona.community).exists()
    ):
        return persona.user
    return make_staff(persona.community)


def make_managed_elders(persona, n):
    guardian = factories.make_resident()
    staff = _staff_of(persona)
    for i in range(n):
        services.managed_elder_create(
            staff=staff,
            community_id=persona.community.pk,
            display_name=f"托管老人{i}",
            birth_date=date(1936, 1, 1),
            guardian_phone=phone_of(guardian),
        )


def one_managed_elder(persona):
    guardian = factories.make_resident()
    managed = services.managed_elder_create(
        staff=_staff_of(persona),
        community_id=persona.community.pk,
        display_name="李爷爷",
        birth_date=date(1938, 3, 2),
        guardian_phone=phone_of(guardian),
    )
    return {"id": managed.pk}


def give_family(user):
    bind(user, factories.make_resident(), relation="儿子")
    return []  # the bindings stay (ended) for the other side; nothing in them names the erased person


LIST_DATA = {
    "/api/v1/family/bindings/": ("resident", make_bindings),
    "/api/v1/family/acts/": ("resident", make_acts),
    "/api/v1/staff/family/managed-elders/": ("staff", make_managed_elders),
}
DETAIL_BUDGETS = {
    # 1 token user, 1 binding with its people, 1 history with actors
    "/api/v1/family/bindings/{id}/": ("resident", one_binding, 3),
    # 1 token user, 1 roles, 1 managed elder with user/community, 1 guardian bindings with members
    "/api/v1/staff/family/managed-elders/{id}/": ("staff", one_managed_elder, 4),
}
PRIVACY_DATA = {"family": give_family}
EXPORT_QUERIES = {"family": 3}  # bindings, acts, managed elder
