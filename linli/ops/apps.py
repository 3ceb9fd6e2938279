from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "linli.ops"
    label = "ops"
    verbose_name = "运维"

    def ready(self):
        from celery.signals import after_task_publish

        from linli.api import demo
        from linli.celery import register_periodic
        from linli.observability.metrics import register_collector
        from linli.ops import demo as demo_data
        from linli.ops import metrics, receivers

        demo.register(self.label, demo_data.seed)

        after_task_publish.connect(receivers.beat_tick_published, sender=receivers.TICK_TASK, weak=False)
        register_periodic("ops.beat_tick", "linli.ops.tasks.beat_tick", 60.0)
        register_periodic("ops.check_health", "linli.ops.tasks.check_health", 60.0)
        register_collector("linli_ops", metrics.collect)
        self._register_platform_outbound()

    def _register_platform_outbound(self):
        from linli.devices.models import DeviceCommand
        from linli.notifications.models import Delivery
        from linli.ops.registry import Outbound, register_outbound

        register_outbound(
            self.label,
            Outbound(
                key="notification_delivery",
                title="消息推送（微信订阅消息、短信）",
                failed=lambda: Delivery.objects.filter(status=Delivery.Status.FAILED),
                changelist="admin:notifications_delivery_changelist",
                query="status__exact=failed",
                retry="本页「重新发送失败的推送」，或在列表中勾选后执行「重新发送所选的失败推送」",
            ),
            # No retry: a command is a physical act (dispense rice, open a door); sending it again
            # blindly could do it twice. The scenario that issued it decides (a new order, a refund).
            Outbound(
                key="device_command",
                title="设备指令",
                failed=lambda: DeviceCommand.objects.filter(status=DeviceCommand.Status.FAILED),
                changelist="admin:devices_devicecommand_changelist",
                query="status__exact=failed",
            ),
        )
