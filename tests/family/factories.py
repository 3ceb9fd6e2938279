"""Family bindings for tests: made through the services, so they carry their history rows."""

from linli.accounts.models import Role
from linli.family import services
from linli.family.models import PERMISSION_FIELDS, FamilyBinding
from tests import factories


def phone_of(user) -> str:
    """Give `user` a phone number (unique per user id) and return it."""
    if not user.phone:
        user.phone = f"139{user.pk:08d}"
        user.save(update_fields=["phone"])
    return user.phone


def bind(principal, member, *, relation="儿子", **permissions) -> FamilyBinding:
    """An accepted binding: `member` asked by the principal's phone, the principal accepted with
    `permissions` (each flag defaults to True)."""
    flags = {name: permissions.get(name, True) for name in PERMISSION_FIELDS}
    binding = services.family_binding_request(
        by=member, side=FamilyBinding.Side.MEMBER, phone=phone_of(principal), relation=relation, permissions=flags
    )
    return services.family_binding_accept(binding=binding, by=principal, permissions=flags)


def make_family(community, **permissions):
    """An elder resident of `community` and their son bound to them → (elder, son, binding)."""
    elder = factories.make_resident(display_name="王奶奶")
    factories.grant(elder, Role.RESIDENT, community=community)
    son = factories.make_resident(display_name="王小明")
    return elder, son, bind(elder, son, **permissions)
