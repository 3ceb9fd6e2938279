"""The people on work orders come from one narrow query after the rows (linli/accounts/querysets.py)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from residents import selectors
from residents.models import WorkOrder
from tests.residents import factories as rf


def test_it_loads_every_person_of_a_page_in_one_query(owner, room, category, handler):
    rf.make_work_order(owner, room=room, category=category, upto="assigned", handler=handler)
    rf.make_work_order(owner, room=room, category=category)

    with CaptureQueriesContext(connection) as captured:
        orders = list(selectors.work_orders_of(owner))
        people = [(o.reporter.display_name, o.reporter.phone, o.assignee and str(o.assignee)) for o in orders]

    assert len(captured) == 2  # the page, its people
    assert people == [(owner.display_name, owner.phone, None), (owner.display_name, owner.phone, "维修师傅小王")]
    assert "accounts_user" not in captured.captured_queries[0]["sql"]


def test_a_single_order_and_a_sliced_page_get_their_people_too(owner, room, category, handler):
    order = rf.make_work_order(owner, room=room, category=category, upto="assigned", handler=handler)
    queryset = WorkOrder.objects.with_users("reporter", "assignee", "filed_by")

    with CaptureQueriesContext(connection) as captured:
        one = queryset.get(pk=order.pk)
        (first,) = queryset.filter(pk=order.pk)[:1]
        assert (one.assignee.pk, first.reporter.pk, one.filed_by, first.filed_by) == (handler.pk, owner.pk, None, None)

    assert len(captured) == 4


def test_a_column_left_out_is_still_read_on_demand(owner, room, category):
    order = rf.make_work_order(owner, room=room, category=category)

    reporter = selectors.work_orders_of(owner).get(pk=order.pk).reporter

    assert reporter.username == owner.username and reporter.wechat_openid == owner.wechat_openid
