"""The staff console is scoped like the API: a community worker of 斗潭 never sees 白云's rows — not in a
changelist, a search, the autocomplete endpoint or an export (Excel or CSV, selected rows or the whole
changelist). A superuser sees both."""

import itertools
from dataclasses import dataclass
from io import BytesIO

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from events.models import Event, Registration, Venue
from health.models import InsuranceApplication, PolicyArticle
from linli.devices.models import Device
from linli.regions.models import Building, Estate, Room
from merchants.models import Merchant, MerchantApplication, Order, Product
from residents.models import Announcement, Verification, WorkOrder
from tests import factories
from tests.enforcement.factories import make_report, make_world
from tests.events.factories import make_event, make_venue, make_verified, register
from tests.merchants.factories import make_merchant, make_product
from tests.residents import factories as rf

pytestmark = pytest.mark.django_db

_seq = itertools.count(1)
SHARED = "共同"  # every row below carries it in a searchable field, so a search matches both communities


def _room(community):
    return rf.make_room(community, estate_name=f"{community.name}{SHARED}家园", building=f"{SHARED}1幢")


def _resident(community):
    return rf.make_verified_resident(community, display_name=f"{SHARED}居民{next(_seq)}")


def make_estate(community):
    return Estate.objects.create(community=community, name=f"{community.name}{SHARED}小区{next(_seq)}")


def make_building(community):
    estate = f"{community.name}{SHARED}家园"
    return rf.make_room(community, estate_name=estate, building=f"{SHARED}{next(_seq)}幢").building


def make_room(community):
    return _room(community)


def make_verification(community):
    room = _room(community)
    return Verification.objects.create(
        user=factories.make_resident(),
        room=room,
        community=community,
        relation="owner",
        real_name=f"{SHARED}申请人",
        phone="13900000000",
    )


def make_work_order(community):
    user, room = _resident(community)
    return rf.make_work_order(user, room=room, description=f"{SHARED}楼道灯坏了")


def make_announcement(community):
    return rf.make_announcement(community, title=f"{SHARED}停水通知")


def make_venue_row(community):
    return make_venue(community, name=f"{SHARED}活动室{next(_seq)}")


def make_event_row(community):
    return make_event(community, title=f"{SHARED}插花课")


def make_registration(community):
    event = make_event(community, title=f"{SHARED}书法课")
    return register(event, make_verified(community))


def make_merchant_row(community):
    return make_merchant(community, name=f"{SHARED}果蔬店{next(_seq)}")


def make_application(community):
    return MerchantApplication.objects.create(
        applicant=factories.make_user(),
        community=community,
        name=f"{SHARED}小吃{next(_seq)}",
        category="fruit_veg",
        licence_number="91330802MA0000001",
        contact_name="王老板",
        contact_phone="13800000000",
    )


def make_product_row(community):
    return make_product(make_merchant(community), name=f"{SHARED}青菜")


def make_order(community):
    merchant = make_merchant(community, name=f"{SHARED}米店{next(_seq)}")
    return Order.objects.create(
        number=f"T{next(_seq):010d}",
        user=factories.make_resident(),
        merchant=merchant,
        status=Order.Status.PAID,
        total_fen=1000,
    )


def make_insurance(community):
    return InsuranceApplication.objects.create(
        applicant=factories.make_resident(), community=community, type="reimbursement", details=f"{SHARED}门诊报销"
    )


def make_policy(community):
    return PolicyArticle.objects.create(title=f"{SHARED}医保新政", body="正文", community=community)


def make_device(community):
    code = f"mill-{next(_seq)}"
    return Device.objects.create(kind="rice_mill", code=code, name=f"{SHARED}碾米机", community=community)


@dataclass(frozen=True)
class Case:
    model: type
    make: object
    # (app_label, model_name, field_name) of a foreign key pointing at `model`, for /admin/autocomplete/
    autocomplete: tuple[str, str, str] | None = None

    @property
    def url(self):
        return f"/admin/{self.model._meta.app_label}/{self.model._meta.model_name}/"

    def __str__(self):
        return self.model.__name__


CASES = [
    Case(Estate, make_estate, ("regions", "building", "estate")),
    Case(Building, make_building, ("regions", "room", "building")),
    Case(Room, make_room, ("residents", "verification", "room")),
    Case(Verification, make_verification),
    Case(WorkOrder, make_work_order),
    Case(Announcement, make_announcement),
    Case(Venue, make_venue_row, ("events", "event", "venue")),
    Case(Event, make_event_row, ("events", "registration", "event")),
    Case(Registration, make_registration),
    Case(MerchantApplication, make_application),
    Case(Merchant, make_merchant_row, ("merchants", "product", "merchant")),
    Case(Product, make_product_row, ("merchants", "cabinetslot", "product")),
    Case(Order, make_order),
    Case(InsuranceApplication, make_insurance),
    Case(PolicyArticle, make_policy),
    Case(Device, make_device),
]


@pytest.fixture
def rows(community, other_community):
    """For a case: (our row in 斗潭, their row in 白云)."""

    def build(case):
        return case.make(community), case.make(other_community)

    return build


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def listed(response) -> set[int]:
    assert response.status_code == 200, response.content[:500]
    return {obj.pk for obj in response.context["cl"].queryset}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_changelist_shows_only_the_staff_members_communities(case, rows, staff):
    ours, theirs = rows(case)
    client = logged_in(staff)

    assert listed(client.get(case.url)) == {ours.pk}
    assert listed(client.get(case.url, {"q": SHARED})) == {ours.pk}
    assert client.get(f"{case.url}{theirs.pk}/change/").status_code in (302, 404)  # "doesn't exist" → index


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_superuser_sees_both_communities(case, rows):
    ours, theirs = rows(case)
    client = logged_in(factories.make_user(is_staff=True, is_superuser=True))

    assert listed(client.get(case.url, {"q": SHARED})) == {ours.pk, theirs.pk}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_csv_export_holds_only_the_staff_members_rows(case, rows, staff):
    ours, theirs = rows(case)
    client = logged_in(staff)

    response = client.post(case.url, {"action": "export_csv", "_selected_action": [ours.pk, theirs.pk]})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2  # the header and our row; their row was selected but is not ours to export
    assert "白云" not in response.content.decode("utf-8-sig")


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


def csv_rows(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    return response.content.decode("utf-8-sig").strip().splitlines()


@pytest.mark.parametrize("case", CASES, ids=str)
def test_an_xlsx_export_holds_only_the_staff_members_rows(case, rows, staff):
    ours, theirs = rows(case)

    response = logged_in(staff).post(case.url, {"action": "export_xlsx", "_selected_action": [ours.pk, theirs.pk]})

    cells = xlsx_rows(response)
    assert len(cells) == 2  # the header and our row; their row was selected but is not ours to export
    assert not any("白云" in str(value) for row in cells for value in row)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_export_buttons_hold_only_the_staff_members_rows(case, rows, staff):
    rows(case)
    client = logged_in(staff)

    cells = xlsx_rows(client.get(f"{case.url}export/xlsx/", {"q": SHARED}))  # the search matches both
    lines = csv_rows(client.get(f"{case.url}export/csv/", {"q": SHARED}))

    assert len(cells) == len(lines) == 2
    assert not any("白云" in str(value) for row in cells for value in row)
    assert "白云" not in "".join(lines)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_superuser_exports_both_communities(case, rows):
    rows(case)
    cells = xlsx_rows(logged_in(factories.make_user(is_staff=True, is_superuser=True)).get(f"{case.url}export/xlsx/"))
    assert len(cells) == 3


@pytest.mark.parametrize("case", CASES, ids=str)
def test_an_export_takes_as_many_queries_for_three_rows_as_for_one(case, community, staff):
    # list_select_related carries every column's related object: no query per row.
    case.make(community)
    client = logged_in(staff)
    client.get(f"{case.url}export/xlsx/")  # warm the caches (content types, session)
    with CaptureQueriesContext(connection) as one:
        assert len(xlsx_rows(client.get(f"{case.url}export/xlsx/"))) == 2
    case.make(community)
    case.make(community)
    with CaptureQueriesContext(connection) as three:
        assert len(xlsx_rows(client.get(f"{case.url}export/xlsx/"))) == 4
    assert len(three) == len(one), "\n".join(q["sql"] for q in three.captured_queries)


@pytest.mark.parametrize("case", [c for c in CASES if c.autocomplete], ids=str)
def test_autocomplete_offers_only_the_staff_members_rows(case, rows, staff):
    ours, _theirs = rows(case)
    app_label, model_name, field_name = case.autocomplete

    response = logged_in(staff).get(
        "/admin/autocomplete/",
        {"term": SHARED, "app_label": app_label, "model_name": model_name, "field_name": field_name},
    )

    assert response.status_code == 200, response.content[:300]
    assert {int(item["id"]) for item in response.json()["results"]} == {ours.pk}


def test_the_other_communitys_staff_see_the_mirror_image(rows, other_staff):
    _ours, theirs = rows(CASES[4])  # work orders
    assert listed(logged_in(other_staff).get(CASES[4].url)) == {theirs.pk}


def test_a_resident_or_property_manager_cannot_open_the_console(community):
    resident, _room = rf.make_verified_resident(community)
    manager = rf.make_property_manager(community)
    for user in (resident, manager):
        response = logged_in(user).get("/admin/residents/workorder/")
        assert response.status_code in (302, 403)  # the login page, or "no permission" for is_staff


@pytest.mark.parametrize(
    "url",
    ["/admin/enforcement/problemreport/", "/admin/enforcement/case/", "/admin/enforcement/inspection/"],
)
def test_community_staff_see_no_enforcement_rows(url, staff):
    # Enforcement is scoped by team, not community: community staff are no member of any team.
    assert logged_in(staff).get(url).status_code == 403
    assert logged_in(staff).get(f"{url}export/xlsx/").status_code == 403
    assert logged_in(staff).get(f"{url}export/csv/").status_code == 403


def _console_user(user, *codenames):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def test_an_enforcement_officer_sees_only_their_teams_reports_and_the_dispatcher_all():
    world = make_world()
    ours = make_report(category=world.fishing_cat, street=world.taoyan)  # → 陶堰综合执法队 (empowered)
    theirs = make_report(category=world.food_cat, street=world.taoyan)  # → 区市场监管局
    assert (ours.team_id, theirs.team_id) == (world.taoyan_team.pk, world.market.pk)
    officer = _console_user(world.officer_taoyan, "view_problemreport")
    dispatcher = _console_user(world.dispatcher, "view_problemreport")
    url = "/admin/enforcement/problemreport/"

    assert listed(logged_in(officer).get(url)) == {ours.pk}
    assert listed(logged_in(dispatcher).get(url)) == {ours.pk, theirs.pk}
    export = logged_in(officer).post(url, {"action": "export_csv", "_selected_action": [ours.pk, theirs.pk]})
    assert len(export.content.decode("utf-8-sig").strip().splitlines()) == 2
    export = logged_in(officer).post(url, {"action": "export_xlsx", "_selected_action": [ours.pk, theirs.pk]})
    assert [row[0] for row in xlsx_rows(export)[1:]] == [ours.pk]
    assert [row[0] for row in xlsx_rows(logged_in(officer).get(f"{url}export/xlsx/"))[1:]] == [ours.pk]
    assert len(xlsx_rows(logged_in(dispatcher).get(f"{url}export/xlsx/"))) == 3
