"""Quality-gate registrations for the market endpoints (see tests/quality/registry.py)."""

import itertools

from linli.payments.services import contract_sign_sandbox
from linli.uploads.services import attachments_set
from merchants.models import MerchantApplication, Review
from tests import factories
from tests.merchants.factories import (
    add_member,
    make_cabinet,
    make_merchant,
    make_order,
    make_owner,
    make_paid_order,
    make_product,
    make_rice_mill,
)
from tests.support.personas import Persona


def merchant_persona(community) -> Persona:
    """The owner of a shop in the community."""
    user = factories.make_user()
    make_merchant(community, owner=user)
    return Persona("merchant", user, community)


def _my_shop(persona):
    """The persona's shop (the fuzzer also runs these makers as a resident or staff: they get one too)."""
    from merchants.selectors import my_merchants

    return my_merchants(persona.user).order_by("id").first() or make_merchant(persona.community, owner=persona.user)


# --- residents -----------------------------------------------------------------------------


def make_shops(persona, n):
    for _ in range(n):
        make_merchant(persona.community)


def _pictured(product):
    """Two images on every product: lists must not pay per image or per product."""
    owner = factories.make_resident()
    attachments_set(product, "images", [factories.make_upload(owner) for _ in range(2)])
    return product


def make_shelf(persona, n):
    merchant = make_merchant(persona.community)
    for _ in range(n):
        _pictured(make_product(merchant))


def make_reviews(persona, n):
    merchant = make_merchant(persona.community)
    product = make_product(merchant, stock=1000)
    for _ in range(n):
        buyer = factories.make_resident()
        order = make_paid_order(buyer, product)
        order.status = "completed"
        order.save(update_fields=["status"])
        Review.objects.create(order=order, user=buyer, merchant=merchant, rating=5, content="好")


def make_my_orders(persona, n):
    product = make_product(make_merchant(persona.community), stock=1000)
    for _ in range(n):
        make_paid_order(persona.user, product, 2)


def make_my_sessions(persona, n):
    from merchants.devices import cabinet_session_open
    from merchants.models import CabinetSession

    contract_sign_sandbox(user=persona.user)
    merchant = make_merchant(persona.community)
    product = make_product(merchant)
    for _ in range(n):
        device = make_cabinet(merchant, [("A1", product, 250, 40)])
        session = cabinet_session_open(user=persona.user, device=device)
        CabinetSession.objects.filter(pk=session.pk).update(status="empty")


def make_my_applications(persona, n):
    for index in range(n):
        MerchantApplication.objects.create(
            applicant=persona.user,
            community=persona.community,
            name=f"申请{persona.user.pk}-{index}-{n}",
            category="farm",
            licence_number="91330802MA2ABCDE1X",
            contact_name="李",
            contact_phone="13900000000",
        )


def _with_phone(user):
    if not user.phone:
        user.phone = f"136{user.pk:08d}"
        user.save(update_fields=["phone"])
    return user.phone


def make_invitations_to_me(persona, n):
    from merchants.services import merchant_invitation_create

    phone = _with_phone(persona.user)
    for _ in range(n):
        merchant, owner = make_owner(persona.community)
        merchant_invitation_create(merchant=merchant, by=owner, position="staff", phone=phone)


def invitation_to_me(persona):
    from merchants.models import MerchantInvitation

    make_invitations_to_me(persona, 1)
    return {"id": MerchantInvitation.objects.filter(phone=persona.user.phone).latest("id").pk}


def a_shop(persona):
    merchant = make_merchant(persona.community)
    return {"id": merchant.pk}


def a_product(persona):
    return {"id": _pictured(make_product(make_merchant(persona.community))).pk}


def my_order(persona):
    order = make_paid_order(persona.user, make_product(make_merchant(persona.community)), 2)
    return {"id": order.pk}


def my_session(persona):
    from merchants.devices import cabinet_session_open

    contract_sign_sandbox(user=persona.user)
    merchant = make_merchant(persona.community)
    device = make_cabinet(merchant, [("A1", make_product(merchant), 250, 40)])
    return {"id": cabinet_session_open(user=persona.user, device=device).pk}


def my_application(persona):
    make_my_applications(persona, 1)
    return {"id": MerchantApplication.objects.filter(applicant=persona.user).latest("id").pk}


def a_rice_mill(persona):
    return {"code": make_rice_mill(make_merchant(persona.community)).code}


# --- merchants -----------------------------------------------------------------------------


def make_my_shops(persona, n):
    for _ in range(n):
        make_merchant(persona.community, owner=persona.user)


def make_my_products(persona, n):
    merchant = _my_shop(persona)
    for _ in range(n):
        _pictured(make_product(merchant))


def make_shop_orders(persona, n):
    product = make_product(_my_shop(persona), stock=1000)
    for _ in range(n):
        make_order(factories.make_resident(), product)


def make_members(persona, n):
    merchant = _my_shop(persona)
    for _ in range(n):
        add_member(merchant, factories.make_user())


_phones = itertools.count(1)


def _invite(merchant, by, n):
    from merchants.services import merchant_invitation_create

    for index in range(n):
        phone = f"135{next(_phones):08d}" if index % 2 else None  # phone and code invitations
        merchant_invitation_create(merchant=merchant, by=by, position="staff", phone=phone)


def make_shop_invitations(persona, n):
    _invite(_my_shop(persona), persona.user, n)


def shop_invitation(persona):
    from merchants.models import MerchantInvitation

    merchant = _my_shop(persona)
    _invite(merchant, persona.user, 1)
    return {"id": MerchantInvitation.objects.filter(merchant=merchant).latest("id").pk}


def my_shop(persona):
    return {"id": _my_shop(persona).pk}


def my_product(persona):
    return {"id": _pictured(make_product(_my_shop(persona))).pk}


def shop_order(persona):
    order = make_paid_order(factories.make_resident(), make_product(_my_shop(persona)), 2)
    return {"id": order.pk}


def shop_stats(persona):
    product = make_product(_my_shop(persona), stock=100)
    for _ in range(2):
        make_paid_order(factories.make_resident(), product)
    return {}


# --- staff ---------------------------------------------------------------------------------


def make_applications_here(persona, n):
    for index in range(n):
        MerchantApplication.objects.create(
            applicant=factories.make_resident(),
            community=persona.community,
            name=f"社区申请{index}-{n}",
            category="farm",
            licence_number="91330802MA2ABCDE1X",
            contact_name="王",
            contact_phone="13900000000",
        )


def application_here(persona):
    make_applications_here(persona, 1)
    return {"id": MerchantApplication.objects.filter(community=persona.community).latest("id").pk}


PERSONAS = {"merchant": merchant_persona}

LIST_DATA = {
    "/api/v1/market/merchants/": ("resident", make_shops),
    "/api/v1/market/products/": ("resident", make_shelf),
    "/api/v1/market/reviews/": ("resident", make_reviews),
    "/api/v1/market/orders/": ("resident", make_my_orders),
    "/api/v1/market/cabinet-sessions/": ("resident", make_my_sessions),
    "/api/v1/merchants/applications/": ("resident", make_my_applications),
    "/api/v1/merchants/invitations/": ("resident", make_invitations_to_me),
    "/api/v1/merchant/merchants/": ("merchant", make_my_shops),
    "/api/v1/merchant/products/": ("merchant", make_my_products),
    "/api/v1/merchant/orders/": ("merchant", make_shop_orders),
    "/api/v1/merchant/members/": ("merchant", make_members),
    "/api/v1/merchant/invitations/": ("merchant", make_shop_invitations),
    "/api/v1/staff/merchant-applications/": ("staff", make_applications_here),
}

DETAIL_BUDGETS = {
    # 1 token user, 1 the shop with its community and rating
    "/api/v1/market/merchants/{id}/": ("resident", a_shop, 2),
    # 1 token user, 1 the product with its merchant, 1 its images
    "/api/v1/market/products/{id}/": ("resident", a_product, 3),
    # 1 token user, 1 the order with merchant/user/payment/device, 1 items, 1 history, 1 review
    "/api/v1/market/orders/{id}/": ("resident", my_order, 5),
    # 1 token user, 1 the visit with device, merchant and order
    "/api/v1/market/cabinet-sessions/{id}/": ("resident", my_session, 2),
    # 1 token user, 1 the application with community and reviewer
    "/api/v1/merchants/applications/{id}/": ("resident", my_application, 2),
    # 1 token user, 1 the invitation to my phone with its shop, community and inviter
    "/api/v1/merchants/invitations/{id}/": ("resident", invitation_to_me, 2),
    # 1 token user, 1 the invitation with shop, inviter and responder (my shops as a subquery)
    "/api/v1/merchant/invitations/{id}/": ("merchant", shop_invitation, 2),
    # 1 token user, 1 the device with its merchant
    "/api/v1/market/devices/{code}/": ("resident", a_rice_mill, 2),
    # 1 token user, 1 the shop (my memberships as a subquery)
    "/api/v1/merchant/merchants/{id}/": ("merchant", my_shop, 2),
    # 1 token user, 1 the product, 1 its images
    "/api/v1/merchant/products/{id}/": ("merchant", my_product, 3),
    # 1 token user, 1 the order, 1 items, 1 history, 1 review
    "/api/v1/merchant/orders/{id}/": ("merchant", shop_order, 5),
    # 1 token user, 1 my shop, 4 totals / by day / top products / ratings, 2 pending and under-review counts
    "/api/v1/merchant/stats/": ("merchant", shop_stats, 8),
    # 1 token user, 1 my staff communities, 1 the application
    "/api/v1/staff/merchant-applications/{id}/": ("staff", application_here, 3),
}


def give_market_data(user):
    community = factories.make_community()
    merchant = make_merchant(community)
    product = make_product(merchant, name="常山胡柚")
    order = make_order(user, product, fulfilment="delivery", address="春江月小区 7 幢 302 室")
    order.status = "completed"
    order.save(update_fields=["status"])
    Review.objects.create(order=order, user=user, merchant=merchant, rating=4, content="胡柚很新鲜，下次还买")
    MerchantApplication.objects.create(
        applicant=user,
        community=community,
        name="李阿姨的小吃摊",
        category="pastry",
        licence_number="91330802MA2ABCDE1X",
        contact_name="李秀英本人",
        contact_phone="13912345678",
    )
    return ["春江月小区 7 幢 302 室", "胡柚很新鲜，下次还买", "李秀英本人"]


PRIVACY_DATA = {"merchants": give_market_data}
# orders with merchants, their items, reviews, applications, cabinet visits, shop invitations
EXPORT_QUERIES = {"merchants": 6}
