"""The superuser's operations page (运维概览): versions, migrations, queues, beat, failed outbound
records with their retry, device outages. Nobody else opens it."""

import django
import pytest
from django.test import Client
from django.utils import timezone

from linli.devices.models import Device, DeviceCommand, DeviceOutage
from linli.notifications.models import Delivery
from tests import factories
from tests.devices.factories import make_device
from tests.notifications.factories import make_notification
from tests.ops.factories import make_ops, make_superuser

pytestmark = pytest.mark.django_db
URL = "/admin/operations/"


def _console(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _failed_delivery() -> Delivery:
    user = factories.make_resident()
    return Delivery.objects.create(
        notification=make_notification(user),
        recipient=user,
        channel=Delivery.Channel.SMS,
        status=Delivery.Status.FAILED,
        error_code="timeout",
    )


@pytest.fixture
def superuser_console():
    return _console(make_superuser())


def test_it_shows_versions_and_a_complete_migration_state(superuser_console):
    page = superuser_console.get(URL).content.decode()
    assert "运维概览" in page
    assert f"<td>{django.get_version()}</td>" in page
    assert "全部迁移已执行" in page
    assert "内嵌模式（无 beat）" in page


def test_it_counts_failed_deliveries_commands_and_provincial_pushes(superuser_console, community):
    _failed_delivery()
    _failed_delivery()
    device, _secret = make_device(community)
    DeviceCommand.objects.create(device=device, kind="dispense", status=DeviceCommand.Status.FAILED)
    page = superuser_console.get(URL).content.decode()
    deliveries = page[page.index('id="outbound-notification_delivery"') :]
    assert "2 条失败" in deliveries[: deliveries.index("</tr>")]
    assert "/admin/notifications/delivery/?status__exact=failed" in page
    commands = page[page.index('id="outbound-device_command"') :]
    assert "1 条失败" in commands[: commands.index("</tr>")] and "不支持重试" in commands[: commands.index("</tr>")]
    assert 'id="outbound-provincial_case_push"' in page  # registered by enforcement


def test_it_lists_open_device_outages(superuser_console, community):
    device, _secret = make_device(community, name="春江月健康小屋")
    Device.objects.filter(pk=device.pk).update(status=Device.Status.OFFLINE)
    DeviceOutage.objects.create(device=device, detected_at=timezone.now())
    page = superuser_console.get(URL).content.decode()
    assert "当前离线 1 台" in page and "春江月健康小屋" in page


def test_the_retry_button_requeues_failed_deliveries(superuser_console):
    delivery = _failed_delivery()
    response = superuser_console.post(URL + "retry-deliveries/")
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING and delivery.error_code == ""


def test_the_retry_button_only_answers_a_post(superuser_console):
    assert superuser_console.get(URL + "retry-deliveries/").status_code == 405


@pytest.mark.parametrize("who", ["community staff", "ops role"])
def test_only_superusers_open_it(who, staff):
    user = staff if who == "community staff" else make_ops()
    client = _console(user)
    delivery = _failed_delivery()
    assert client.get(URL).status_code == 403
    assert client.post(URL + "retry-deliveries/").status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED


def test_an_anonymous_visitor_is_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_landing_page_links_it_for_superusers_only(superuser_console, staff):
    assert URL in superuser_console.get("/admin/").content.decode()
    assert URL not in _console(staff).get("/admin/").content.decode()
    assert URL not in _console(make_ops()).get("/admin/").content.decode()
