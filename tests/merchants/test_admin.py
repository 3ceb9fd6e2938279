"""The staff console: every market page opens, and approving in the admin goes through the service."""

import pytest
from django.test import Client

from linli.accounts.models import Membership, Role
from merchants.models import MerchantApplication, MerchantInvitation
from merchants.services import merchant_invitation_create
from tests import factories
from tests.merchants.factories import make_cabinet, make_owner, make_paid_order, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(community):
    merchant, owner = make_owner(community)
    merchant_invitation_create(merchant=merchant, by=owner, position="staff", phone="13700000003")
    product = make_product(merchant)
    make_paid_order(factories.make_resident(), product)
    make_cabinet(merchant, [("A1", product, 250, 40)])
    admin = factories.make_user(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    return client


@pytest.mark.parametrize(
    "model",
    [
        "merchants/merchantapplication",
        "merchants/merchant",
        "merchants/merchantinvitation",
        "merchants/product",
        "merchants/order",
        "merchants/review",
        "merchants/merchantdevice",
        "merchants/cabinetslot",
        "merchants/cabinetsession",
        "payments/paymentintent",
        "payments/refund",
        "payments/paymentnotification",
        "payments/paymentcontract",
        "payments/serviceorder",
    ],
)
def test_each_admin_list_opens(console, model):
    assert console.get(f"/admin/{model}/").status_code == 200


def test_an_invitation_opens_in_the_admin_with_its_phone_masked(console):
    page = console.get(f"/admin/merchants/merchantinvitation/{MerchantInvitation.objects.get().pk}/change/")
    assert page.status_code == 200
    assert "137****0003" in page.content.decode() and "13700000003" not in page.content.decode()


def test_an_order_opens_in_the_admin(console):
    from merchants.models import Order

    assert console.get(f"/admin/merchants/order/{Order.objects.get().pk}/change/").status_code == 200


def test_community_staff_approve_in_the_admin_and_see_only_their_community(community, other_community, staff):
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_merchantapplication", "change_merchantapplication"])
    )

    def application(where, name):
        return MerchantApplication.objects.create(
            applicant=factories.make_resident(),
            community=where,
            name=name,
            category="pastry",
            licence_number="91330802MA2ABCDE1X",
            contact_name="陈",
            contact_phone="13900000000",
        )

    mine, theirs = application(community, "斗潭面馆"), application(other_community, "白云烧饼")
    client = Client()
    client.force_login(staff)
    listing = client.get("/admin/merchants/merchantapplication/")
    assert "斗潭面馆" in listing.text and "白云烧饼" not in listing.text
    response = client.post(
        "/admin/merchants/merchantapplication/",
        {"action": "approve", "_selected_action": [mine.pk, theirs.pk]},
        follow=True,
    )
    assert response.status_code == 200
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == ("approved", "pending")
    assert Membership.objects.filter(user=mine.applicant, role=Role.MERCHANT_MEMBER, position="owner").exists()
