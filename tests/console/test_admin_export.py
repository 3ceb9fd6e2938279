"""The console's export: what a community worker sees on the changelist, as an Excel workbook or a CSV
that Excel opens — Chinese headers, the labels shown on screen, Asia/Shanghai times, nothing a
spreadsheet would run as a formula, and never another community's rows."""

import csv
import io
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from enforcement.models import ProblemReport
from linli.accounts.models import User
from merchants.models import Order
from residents.admin import WorkOrderAdmin
from residents.models import WorkOrder
from tests import factories
from tests.enforcement.factories import make_report, make_world
from tests.events.factories import make_event, make_verified, register
from tests.merchants.factories import make_merchant
from tests.residents import factories as rf

pytestmark = pytest.mark.django_db

WORK_ORDERS = "/admin/residents/workorder/"
# 2026-03-01 16:30 UTC is already 3 月 2 日 00:30 in Shanghai: the day flips, so a UTC time shows.
FILED_UTC = datetime(2026, 3, 1, 16, 30, 5, tzinfo=UTC)
FILED_LOCAL = datetime(2026, 3, 2, 0, 30, 5)


def console(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())  # the BOM Excel needs for UTF-8
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response) -> list[tuple]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def as_dicts(rows) -> list[dict]:
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def work_order(community, *, name="张大爷", **kw) -> WorkOrder:
    user, room = rf.make_verified_resident(community, display_name=name)
    order = rf.make_work_order(user, room=room, **kw)
    WorkOrder.objects.filter(pk=order.pk).update(created_at=FILED_UTC)
    return order


# --- what the file says --------------------------------------------------------------------------


def test_a_work_order_workbook_reads_like_the_changelist(staff, community):
    order = work_order(community)

    rows = read_xlsx(console(staff).get(f"{WORK_ORDERS}export/xlsx/"))

    assert rows[0] == ("ID", "类型", "分类", "社区", "报修人", "状态", "处理人", "渠道", "办结期限", "评分", "创建时间")
    (row,) = as_dicts(rows)
    assert row["ID"] == order.pk  # numbers stay numbers
    assert (row["类型"], row["状态"], row["渠道"]) == ("报修", "待受理", "居民自助")  # labels, not "submitted"
    assert (row["社区"], row["报修人"], row["分类"]) == ("斗潭社区", "张大爷", str(order.category))
    assert row["创建时间"] == FILED_LOCAL  # a real date-time cell, in Asia/Shanghai
    assert row["处理人"] is None and row["评分"] is None  # empty, not "None" or "-"


def test_a_work_order_csv_has_the_same_words_and_local_times(staff, community):
    order = work_order(community)

    rows = read_csv(console(staff).get(f"{WORK_ORDERS}export/csv/"))

    assert rows[0][:6] == ["ID", "类型", "分类", "社区", "报修人", "状态"]
    (row,) = as_dicts(rows)
    assert row["状态"] == "待受理" and row["类型"] == "报修" and row["处理人"] == ""
    assert row["创建时间"] == "2026-03-02 00:30:05"
    due = timezone.localtime(order.resolution_due_at).strftime("%Y-%m-%d %H:%M:%S")
    assert row["办结期限"] == due


def test_market_orders_show_labels_yes_no_and_the_shop(staff, community):
    merchant = make_merchant(community, name="回龙果蔬")
    buyer = factories.make_resident()
    Order.objects.create(number="T0000000001", user=buyer, merchant=merchant, status=Order.Status.PAID, total_fen=1280)

    xlsx = as_dicts(read_xlsx(console(staff).get("/admin/merchants/order/export/xlsx/")))
    text = as_dicts(read_csv(console(staff).get("/admin/merchants/order/export/csv/")))

    for rows in (xlsx, text):
        (row,) = rows
        assert row["商家"] == "回龙果蔬" and row["状态"] == "已支付"
        assert row["需人工核对"] == "否"  # a boolean reads 是/否
    assert xlsx[0]["订单金额（分）"] == 1280 and text[0]["订单金额（分）"] == "1280"


def test_registrations_export_the_event_and_the_registration_status(staff, community):
    event = make_event(community, title="插花课")
    register(event, make_verified(community, display_name="李阿姨"))

    (row,) = as_dicts(read_xlsx(console(staff).get("/admin/events/registration/export/xlsx/")))

    assert (row["活动"], row["居民"], row["状态"]) == (str(event), "李阿姨", "报名成功")
    assert isinstance(row["创建时间"], datetime) and row["签到时间"] is None


def test_enforcement_reports_export_for_their_team_only():
    world = make_world()
    ours = make_report(category=world.fishing_cat, street=world.taoyan)  # → 陶堰综合执法队
    make_report(category=world.food_cat, street=world.taoyan)  # → 区市场监管局
    officer = world.officer_taoyan
    officer.is_staff = True
    officer.save(update_fields=["is_staff"])
    officer.user_permissions.add(Permission.objects.get(codename="view_problemreport"))
    url = "/admin/enforcement/problemreport/export/"

    (row,) = as_dicts(read_xlsx(console(officer).get(f"{url}xlsx/")))
    (text,) = as_dicts(read_csv(console(officer).get(f"{url}csv/")))

    assert row["ID"] == ours.pk and row["承办队伍"] == text["承办队伍"] == "陶堰综合执法队"
    assert row["状态"] == text["状态"] == "已派遣" and ours.status == ProblemReport.Status.DISPATCHED
    assert row["来源渠道"] == text["来源渠道"] == "居民上报"
    assert (row["问题分类"], row["乡镇（街道）"]) == ("违规捕捞", str(world.taoyan))


# --- which rows ----------------------------------------------------------------------------------


def test_the_export_button_takes_the_filters_search_and_every_page(staff, community, monkeypatch):
    submitted = [work_order(community, name=f"王{n}") for n in range(3)]
    work_order(community, name="王伯", upto="cancelled")
    work_order(community, name="赵婶")
    monkeypatch.setattr(WorkOrderAdmin, "list_per_page", 2)  # the changelist pages; the export does not
    client = console(staff)

    page = client.get(WORK_ORDERS, {"status__exact": "submitted", "q": "王"}).content.decode()
    assert f'href="{WORK_ORDERS}export/xlsx/?q=%E7%8E%8B&amp;status__exact=submitted"' in page
    assert f'href="{WORK_ORDERS}export/csv/?q=%E7%8E%8B&amp;status__exact=submitted"' in page

    rows = as_dicts(read_xlsx(client.get(f"{WORK_ORDERS}export/xlsx/", {"status__exact": "submitted", "q": "王"})))
    assert sorted(r["ID"] for r in rows) == sorted(o.pk for o in submitted)
    rows = as_dicts(read_csv(client.get(f"{WORK_ORDERS}export/csv/", {"status__exact": "submitted", "q": "王"})))
    assert sorted(int(r["ID"]) for r in rows) == sorted(o.pk for o in submitted)


def test_the_export_button_is_scoped_like_the_changelist(staff, community, other_community):
    ours = work_order(community)
    work_order(other_community)

    for fmt, read in (("xlsx", read_xlsx), ("csv", read_csv)):
        rows = as_dicts(read(console(staff).get(f"{WORK_ORDERS}export/{fmt}/")))
        assert [int(r["ID"]) for r in rows] == [ours.pk]
        assert all(r["社区"] == "斗潭社区" for r in rows)


def test_selected_rows_export_as_an_action_in_both_formats(staff, community):
    first, _second, third = (work_order(community) for _ in range(3))
    selected = {"_selected_action": [first.pk, third.pk]}

    rows = as_dicts(read_xlsx(console(staff).post(WORK_ORDERS, {"action": "export_xlsx", **selected})))
    assert sorted(r["ID"] for r in rows) == [first.pk, third.pk]
    rows = as_dicts(read_csv(console(staff).post(WORK_ORDERS, {"action": "export_csv", **selected})))
    assert sorted(int(r["ID"]) for r in rows) == [first.pk, third.pk]


def test_a_bad_filter_goes_back_to_the_changelist_and_an_unknown_format_is_404(staff):
    client = console(staff)
    assert client.get(f"{WORK_ORDERS}export/xlsx/", {"nonsense__exact": "1"})["Location"].endswith("?e=1")
    assert client.get(f"{WORK_ORDERS}export/pdf/").status_code == 404


def test_residents_cannot_export(community):
    resident, _room = rf.make_verified_resident(community)
    response = console(resident).get(f"{WORK_ORDERS}export/xlsx/")
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- the file itself -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x","点我")', "+8613900000000", "-1+2", "@SUM(A1)"])
def test_text_a_spreadsheet_would_run_stays_text(staff, community, name):
    work_order(community, name=name)

    (row,) = as_dicts(read_xlsx(console(staff).get(f"{WORK_ORDERS}export/xlsx/")))
    (text,) = as_dicts(read_csv(console(staff).get(f"{WORK_ORDERS}export/csv/")))

    assert row["报修人"] == text["报修人"] == f"'{name}"


def test_the_workbook_cell_is_text_not_a_formula(staff, community):
    work_order(community, name="=1+1")

    response = console(staff).get(f"{WORK_ORDERS}export/xlsx/")

    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=5)
    assert (cell.value, cell.data_type) == ("'=1+1", "s")
    assert sheet.cell(row=1, column=1).font.bold and sheet.freeze_panes == "A2"


def test_the_file_is_named_in_chinese_with_the_day(staff, community):
    work_order(community)
    day = timezone.localdate().strftime("%Y%m%d")

    for fmt in ("xlsx", "csv"):
        disposition = console(staff).get(f"{WORK_ORDERS}export/{fmt}/")["Content-Disposition"]
        assert disposition.startswith("attachment; ")
        assert f'filename="residents-workorder-{day}.{fmt}"' in disposition  # ASCII for old clients
        assert f"filename*=UTF-8''{quote(f'工单-{day}.{fmt}')}" in disposition  # RFC 6266


# --- every changelist ----------------------------------------------------------------------------


def exporting_admins():
    from django.contrib import admin

    from linli.console.export import ExportMixin

    return [model_admin for model_admin in admin.site._registry.values() if isinstance(model_admin, ExportMixin)]


def test_every_changelist_of_the_demo_world_exports_in_both_formats():
    call_command("seed_demo", stdout=io.StringIO())
    root = console(factories.make_user(is_staff=True, is_superuser=True))
    doutan = console(User.objects.get(username="staff_doutan"))
    admins = exporting_admins()
    assert len(admins) > 40  # the community, team and operator changelists

    for model_admin in admins:
        opts = model_admin.model._meta
        url = f"/admin/{opts.app_label}/{opts.model_name}/"
        shown = root.get(url, {"all": ""}).context["cl"].result_count
        rows = read_xlsx(root.get(f"{url}export/xlsx/"))
        lines = read_csv(root.get(f"{url}export/csv/"))
        assert len(rows) == len(lines) == shown + 1, url
        assert rows[0] == tuple(lines[0]) and all(rows[0]), url  # every column has a (Chinese) header
        if doutan.get(url).status_code == 200:  # the changelists a community worker may open
            text = doutan.get(f"{url}export/csv/").content.decode("utf-8-sig")
            assert "白云社区" not in text and "回龙社区" not in text, url
