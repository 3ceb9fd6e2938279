from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    """「大综合一体化」 administrative enforcement: matters and empowerment, the problem-report loop,
    joint inspections, cases and their push to the provincial platform (`provincial.py`), Open311."""

    name = "enforcement"
    label = "enforcement"
    verbose_name = "综合行政执法"

    def ready(self):
        from enforcement import checks, dashboard, dashboard_reform, devices  # noqa: F401  (system checks; camera.detection, sensor.reading)
        from enforcement import demo as demo_data
        from enforcement import privacy as personal_data
        from linli.accounts import privacy
        from linli.api import demo
        from linli.celery import register_periodic
        from linli.console import registry as console
        from linli.ops.registry import Outbound, register_outbound

        demo.register(self.label, demo_data.seed)
        privacy.register(self.label, export=personal_data.export, anonymise=personal_data.anonymise)
        console.register(self.label, widgets=[dashboard.enforcement, dashboard_reform.reform])

        # Overdue reports go to the team leader, then to the district command centre, each step once.
        register_periodic("enforcement.escalate_overdue", "enforcement.tasks.escalate_overdue", 10 * 60.0)
        register_periodic("enforcement.expire_offers", "enforcement.tasks.expire_offers", 60.0)
        # Status updates of pushed cases, pulled back from the provincial platform.
        register_periodic("enforcement.pull_platform_updates", "enforcement.tasks.pull_platform_updates", 5 * 60.0)
        # Cases whose push ran out of retries are tried again, slowly.
        register_periodic("enforcement.retry_failed_pushes", "enforcement.tasks.retry_failed_pushes", 60 * 60.0)

        # Reports and inspections: pushed as they change (services/sync.py), their updates pulled back.
        from enforcement import receivers
        from enforcement.services import sync

        sync.connect()
        receivers.connect()  # a confirmed report earns its resident reporter points
        register_periodic("enforcement.pull_sync_updates", "enforcement.tasks.pull_sync_updates", 5 * 60.0)
        register_periodic(
            "enforcement.retry_stuck_record_pushes", "enforcement.tasks.retry_stuck_record_pushes", 60 * 60.0
        )
        register_outbound(
            self.label,
            Outbound(
                key="provincial_record_sync",
                title="线索与联合检查同步省平台",
                failed=self._failed_record_pushes,
                changelist="admin:enforcement_syncedrecord_changelist",
                query="push_status__exact=failed",
                retry="在列表中勾选后执行「重新推送省平台」",
            ),
        )
        register_outbound(
            self.label,
            Outbound(
                key="provincial_case_push",
                title="案件推送省平台",
                failed=self._failed_pushes,
                changelist="admin:enforcement_case_changelist",
                query="push_status__exact=failed",
                retry="在列表中勾选后执行「重新推送省平台」（办案队伍的执法人员）",
            ),
        )

    @staticmethod
    def _failed_record_pushes():
        from enforcement.models import SyncedRecord

        return SyncedRecord.objects.filter(push_status=SyncedRecord.PushStatus.FAILED)

    @staticmethod
    def _failed_pushes():
        from enforcement.models import Case

        return Case.objects.filter(push_status=Case.PushStatus.FAILED)
