"""Market factories: a merchant with its owner, products, devices, and paid orders."""

import itertools

from django.contrib.contenttypes.models import ContentType

from linli.accounts.models import Membership, Role
from linli.devices.models import Device
from merchants import services
from merchants.models import CabinetSlot, Merchant, MerchantDevice, Product
from tests import factories

_seq = itertools.count(1)


def make_merchant(community=None, *, owner=None, **kw) -> Merchant:
    n = next(_seq)
    defaults = {
        "name": f"测试小店{n}",
        "category": "fruit_veg",
        "licence_number": f"91330802MA2{n:07d}",
        "contact_phone": "13800000000",
    }
    merchant = Merchant.objects.create(community=community or factories.make_community(), **{**defaults, **kw})
    if owner is not None:
        add_member(merchant, owner, "owner")
    return merchant


def add_member(merchant, user, position="staff") -> Membership:
    return Membership.objects.create(
        user=user,
        role=Role.MERCHANT_MEMBER,
        scope_type=ContentType.objects.get_for_model(Merchant),
        scope_id=merchant.pk,
        position=position,
    )


def make_owner(community=None):
    owner = factories.make_user()
    return make_merchant(community, owner=owner), owner


def make_product(merchant, **kw) -> Product:
    n = next(_seq)
    defaults = {"name": f"商品{n}", "price_fen": 1000, "unit": "斤", "stock": 10, "category": "fruit_veg"}
    return Product.objects.create(merchant=merchant, **{**defaults, **kw})


def make_order(user, product, quantity=1, **kw):
    return services.order_create(user=user, items=[{"product": product.pk, "quantity": quantity}], **kw)


def make_paid_order(user, product, quantity=1, **kw):
    from linli.payments.services import payment_sandbox_complete

    order = make_order(user, product, quantity, **kw)
    payment_sandbox_complete(intent=order.payment_intent)
    order.refresh_from_db()
    return order


def make_rice_mill(merchant, **kw) -> Device:
    n = next(_seq)
    device = Device.objects.create(
        kind=Device.Kind.RICE_MILL,
        code=kw.pop("code", f"rice-mill-{n}"),
        name="智能碾米机",
        community=merchant.community,
        status=Device.Status.ONLINE,
        config={"price_per_kg_fen": 600, "weight_steps_g": [1000, 2500, 5000]},
        **kw,
    )
    MerchantDevice.objects.create(merchant=merchant, device=device)
    return device


def make_cabinet(merchant, slots, **kw) -> Device:
    """`slots`: [(code, product, unit_weight_g, tolerance_g)]."""
    n = next(_seq)
    device = Device.objects.create(
        kind=Device.Kind.UNMANNED_CABINET,
        code=kw.pop("code", f"cabinet-{n}"),
        name="无人果蔬柜",
        community=merchant.community,
        status=Device.Status.ONLINE,
        config={"risk_amount_fen": 20000},
        **kw,
    )
    MerchantDevice.objects.create(merchant=merchant, device=device)
    for code, product, unit, tolerance in slots:
        CabinetSlot.objects.create(device=device, code=code, product=product, unit_weight_g=unit, tolerance_g=tolerance)
    return device
