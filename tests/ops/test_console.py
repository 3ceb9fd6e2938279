"""The console: open alerts first on the landing page for the ops role and superusers, nobody else;
the alert list is theirs alone."""

import pytest
from django.test import Client

from linli.ops.models import OpsAlert
from linli.ops.services import ops_alert_raise
from tests.ops.factories import beat_ticked, make_ops, make_superuser

pytestmark = pytest.mark.django_db


def _console(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def open_alert(db):
    return ops_alert_raise(kind=OpsAlert.Kind.QUEUE_BACKLOG, message="任务队列积压：celery 队列 1500 条")


def test_the_ops_role_sees_open_alerts_first_on_the_landing_page(open_alert):
    page = _console(make_ops()).get("/admin/").content.decode()
    assert 'id="ops-alerts"' in page and "celery 队列 1500 条" in page
    assert page.index('id="ops-alerts"') < page.index('id="content-main"')


def test_community_staff_see_no_operations_alert(open_alert, staff):
    page = _console(staff).get("/admin/").content.decode()
    assert "celery 队列 1500 条" not in page and 'id="ops-alerts"' not in page


def test_the_landing_page_itself_notices_a_stalled_beat(services_mode):
    # Beat is stuck, so its check job no longer runs: the page evaluates the check itself.
    beat_ticked(minutes_ago=45)
    page = _console(make_superuser()).get("/admin/").content.decode()
    assert "定时任务（beat）停滞" in page
    assert OpsAlert.objects.filter(kind=OpsAlert.Kind.BEAT_STALE, resolved_at__isnull=True).exists()


def test_the_ops_role_can_read_the_alert_list(open_alert):
    client = _console(make_ops())
    response = client.get("/admin/ops/opsalert/")
    assert response.status_code == 200
    assert "celery 队列 1500 条" in response.content.decode()
    assert client.get(f"/admin/ops/opsalert/{open_alert.pk}/change/").status_code == 200


def test_nobody_edits_an_alert_by_hand(open_alert):
    client = _console(make_superuser())
    client.post(f"/admin/ops/opsalert/{open_alert.pk}/change/", {"message": "改掉", "kind": "beat_stale"})
    open_alert.refresh_from_db()
    assert open_alert.message == "任务队列积压：celery 队列 1500 条"
    assert client.get("/admin/ops/opsalert/add/").status_code == 403


def test_community_staff_cannot_open_the_alert_list(open_alert, staff):
    assert _console(staff).get("/admin/ops/opsalert/").status_code == 403
