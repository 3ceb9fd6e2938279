"""One active shop per licence number: the migration that brings the rule in, and the console."""

import pytest
from django.test import Client

from merchants.models import Merchant
from tests import factories
from tests.merchants.factories import make_merchant
from tests.support.migrations import migrate

LICENCE = "92330802MA2DX8HL5K"
BEFORE, AFTER = [("merchants", "0006_merchant_invitations")], [("merchants", "0007_one_active_merchant_per_licence")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_first_shop_on_a_licence_and_suspends_later_ones(to_latest):
    community = factories.make_community()
    old = migrate(BEFORE)
    try:
        OldMerchant = old.get_model("merchants", "Merchant")
        fields = {"community_id": community.pk, "category": "farm", "contact_phone": "1"}
        first = OldMerchant.objects.create(name="回龙市集", licence_number=LICENCE, **fields)
        copy = OldMerchant.objects.create(name="冒名小店", licence_number=f" {LICENCE.lower()}", **fields)
        other = OldMerchant.objects.create(name="别家", licence_number="92330802MA2BYLL02Y", **fields)
    finally:
        new = migrate(AFTER)

    statuses = dict(new.get_model("merchants", "Merchant").objects.values_list("pk", "status"))
    assert statuses == {first.pk: "active", copy.pk: "suspended", other.pk: "active"}


@pytest.mark.django_db
def test_the_console_refuses_to_reopen_a_shop_whose_licence_is_in_use(community):
    make_merchant(community, name="回龙市集", licence_number=LICENCE)
    suspended = make_merchant(community, name="冒名小店", licence_number=LICENCE, status=Merchant.Status.SUSPENDED)
    console = Client()
    console.force_login(factories.make_user(is_staff=True, is_superuser=True))
    url = f"/admin/merchants/merchant/{suspended.pk}/change/"
    form = {
        "name": suspended.name,
        "community": community.pk,
        "category": suspended.category,
        "licence_number": LICENCE,
        "contact_phone": suspended.contact_phone,
        "description": "",
        "address": "",
        "status": "active",
    }
    page = console.post(url, form)
    assert page.status_code == 200  # the form again, with the error
    assert "已有营业中的店铺使用该营业执照号" in page.content.decode()
    assert Merchant.objects.get(pk=suspended.pk).status == "suspended"
