"""Issue 16, finding 9 (licence): a second shop was approved with 回龙市集's licence number. One licence
number, one shop in business: refused when applying and when approving (400 on `licence_number`),
and enforced by the database, also under concurrent approvals."""

import pytest
from django.db import IntegrityError, transaction

from merchants import services
from merchants.models import Merchant, MerchantApplication
from tests import factories
from tests.merchants.factories import make_merchant
from tests.support.race import race

APPLY, REVIEW = "/api/v1/merchants/applications/", "/api/v1/staff/merchant-applications/"
LICENCE = "92330802MA2DX8HL5K"


def application_body(community, **kw):
    return {
        "name": "冒名小店",
        "community": community.pk,
        "category": "farm",
        "licence_number": LICENCE,
        "contact_name": "李",
        "contact_phone": "13905700001",
        **kw,
    }


def pending_application(community, name, licence=LICENCE):
    return MerchantApplication.objects.create(
        applicant=factories.make_resident(),
        community=community,
        name=name,
        category="farm",
        licence_number=licence,
        contact_name="李",
        contact_phone="13905700001",
    )


@pytest.mark.django_db
def test_it_refuses_an_application_with_the_licence_of_a_shop_in_business(as_user, resident, community):
    make_merchant(community, name="回龙市集", licence_number=LICENCE)
    for typed in (LICENCE, LICENCE.lower(), f" {LICENCE[:9]} {LICENCE[9:]} "):
        response = as_user(resident).post(APPLY, application_body(community, licence_number=typed), format="json")
        assert response.status_code == 400, (typed, response.content)
        assert list(response.json()["fields"]) == ["licence_number"]
    assert not MerchantApplication.objects.exists()


@pytest.mark.django_db
def test_it_refuses_to_approve_a_second_shop_on_a_licence_in_use(as_user, community, staff):
    make_merchant(community, name="回龙市集", licence_number=LICENCE)
    application = pending_application(community, "冒名小店", licence=LICENCE.lower())
    response = as_user(staff).post(f"{REVIEW}{application.pk}/approve/", {}, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()["fields"]) == ["licence_number"]
    assert Merchant.objects.filter(name="冒名小店").count() == 0
    assert MerchantApplication.objects.get(pk=application.pk).status == "pending"


@pytest.mark.django_db
def test_the_database_allows_one_active_shop_per_normalised_licence(community):
    make_merchant(community, licence_number=LICENCE)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_merchant(community, licence_number=f" {LICENCE.lower()} ")
    suspended = make_merchant(community, licence_number=LICENCE, status=Merchant.Status.SUSPENDED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Merchant.objects.filter(pk=suspended.pk).update(status=Merchant.Status.ACTIVE)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_with_one_licence_open_exactly_one_shop():
    community = factories.make_community()
    reviewer = factories.make_user()
    first, second = pending_application(community, "甲店"), pending_application(community, "乙店")

    results = race(
        [
            lambda app=app: services.merchant_application_approve(application=app, reviewer=reviewer)
            for app in (first, second)
        ]
    )

    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1, results
    assert refused[0].fields == {"licence_number": ["该营业执照号已有营业中的店铺使用"]}
    assert Merchant.objects.filter(licence_number=LICENCE).count() == 1
    assert sorted(MerchantApplication.objects.values_list("status", flat=True)) == ["approved", "pending"]
