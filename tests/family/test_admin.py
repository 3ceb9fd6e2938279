"""The staff console: family pages render, staff register managed elders there, scoped to their community."""

import pytest
from django.test import Client

from linli.accounts.models import Role
from linli.family.models import FamilyAct, FamilyBinding, ManagedElder
from tests import factories
from tests.events.factories import make_staff
from tests.family.factories import bind, phone_of


@pytest.fixture
def staff_console(community):
    staff = make_staff(community, password="pw-123456-x")
    client = Client()
    client.force_login(staff)
    return client


def test_staff_register_a_managed_elder_in_the_console(staff_console, community, son):
    response = staff_console.post(
        "/admin/family/managedelder/add/",
        {
            "community": community.pk,
            "display_name": "李爷爷",
            "birth_date": "1938-03-02",
            "guardian_phone": phone_of(son),
            "relation": "儿子",
            "note": "独居",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    managed = ManagedElder.objects.get()
    assert managed.user.display_name == "李爷爷" and managed.note == "独居"
    assert FamilyBinding.objects.get(principal=managed.user).member == son


def test_an_unregistered_guardian_phone_is_refused_in_the_form(staff_console, community):
    response = staff_console.post(
        "/admin/family/managedelder/add/",
        {
            "community": community.pk,
            "display_name": "李爷爷",
            "birth_date": "1938-03-02",
            "guardian_phone": "13712345678",
        },
    )
    assert response.status_code == 200 and "尚未注册" in response.content.decode()
    assert not ManagedElder.objects.exists()


@pytest.mark.parametrize("model", [ManagedElder, FamilyBinding, FamilyAct], ids=lambda m: m.__name__)
def test_every_page_renders_scoped_to_the_community(staff_console, community, elder, son, model):
    from linli.family import services

    bind(elder, son)
    services.managed_elder_create(
        staff=make_staff(community),
        community_id=community.pk,
        display_name="李爷爷",
        birth_date="1938-03-02",
        guardian_phone=phone_of(son),
    )
    FamilyAct.objects.create(
        actor=son, beneficiary=elder, kind="events.registration", object_type="x", object_id=1, summary="报名"
    )
    outsider_elder = factories.make_resident()
    factories.grant(outsider_elder, Role.RESIDENT, community=factories.make_community())
    bind(outsider_elder, factories.make_resident())

    name = model._meta.model_name
    page = staff_console.get(f"/admin/family/{name}/")
    assert page.status_code == 200
    for obj in model.objects.all():
        mine = staff_console.get(f"/admin/family/{name}/{obj.pk}/change/")
        outsider = isinstance(obj, FamilyBinding) and obj.principal_id == outsider_elder.pk
        assert mine.status_code == (302 if outsider else 200), obj
