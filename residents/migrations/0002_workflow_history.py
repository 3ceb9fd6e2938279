"""Work orders and verifications on the platform workflow (linli/workflow).

`WorkOrderEvent` becomes `WorkOrderHistory` (the same table renamed, every row kept; related name
`history`). Verifications get their history, started from what each application already tells:
submitted at `created_at`, approved or rejected at `reviewed_at`, left at `updated_at`.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

WORK_ORDER_STATUSES = [
    ("submitted", "待受理"),
    ("assigned", "已派单"),
    ("in_progress", "处理中"),
    ("resolved", "待确认"),
    ("closed", "已办结"),
    ("cancelled", "已撤销"),
]
VERIFICATION_STATUSES = [("pending", "待审核"), ("approved", "已通过"), ("rejected", "已驳回"), ("left", "已迁出")]


def verification_history_from_applications(apps, schema_editor):
    Verification = apps.get_model("residents", "Verification")
    VerificationHistory = apps.get_model("residents", "VerificationHistory")
    rows = []
    for v in Verification.objects.order_by("pk").iterator():
        rows.append(
            VerificationHistory(
                verification_id=v.pk, action="submit", to_status="pending", actor_id=v.user_id, created_at=v.created_at
            )
        )
        if v.status in ("approved", "left"):
            rows.append(
                VerificationHistory(
                    verification_id=v.pk,
                    action="approve",
                    from_status="pending",
                    to_status="approved",
                    actor_id=v.reviewed_by_id,
                    created_at=v.reviewed_at or v.updated_at,
                )
            )
        if v.status == "rejected":
            rows.append(
                VerificationHistory(
                    verification_id=v.pk,
                    action="reject",
                    from_status="pending",
                    to_status="rejected",
                    actor_id=v.reviewed_by_id,
                    note=v.reject_reason,
                    created_at=v.reviewed_at or v.updated_at,
                )
            )
        if v.status == "left":
            rows.append(
                VerificationHistory(
                    verification_id=v.pk,
                    action="leave",
                    from_status="approved",
                    to_status="left",
                    actor_id=v.user_id,
                    created_at=v.updated_at,
                )
            )
    VerificationHistory.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("residents", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("WorkOrderEvent", "WorkOrderHistory"),
        migrations.AlterField(
            model_name="workorderhistory",
            name="work_order",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="history",
                to="residents.workorder",
                verbose_name="工单",
            ),
        ),
        migrations.AlterField(
            model_name="workorderhistory",
            name="action",
            field=models.CharField(
                choices=[
                    ("submit", "提交"),
                    ("assign", "派单"),
                    ("start", "开始处理"),
                    ("resolve", "处理完成"),
                    ("confirm", "确认办结"),
                    ("reopen", "重新处理"),
                    ("cancel", "撤销"),
                    ("auto_close", "超时自动关闭"),
                    ("escalate", "超时上报"),
                    ("follow_up", "回访"),
                ],
                max_length=24,
                verbose_name="操作",
            ),
        ),
        migrations.AlterField(
            model_name="workorderhistory",
            name="from_status",
            field=models.CharField(blank=True, choices=WORK_ORDER_STATUSES, max_length=24, verbose_name="原状态"),
        ),
        migrations.AlterField(
            model_name="workorderhistory",
            name="to_status",
            field=models.CharField(choices=WORK_ORDER_STATUSES, max_length=24, verbose_name="新状态"),
        ),
        migrations.AlterField(
            model_name="workorderhistory",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="时间"),
        ),
        migrations.CreateModel(
            name="VerificationHistory",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="备注")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="时间")),
                (
                    "action",
                    models.CharField(
                        choices=[("submit", "提交"), ("approve", "通过"), ("reject", "驳回"), ("leave", "迁出")],
                        max_length=24,
                        verbose_name="操作",
                    ),
                ),
                (
                    "from_status",
                    models.CharField(blank=True, choices=VERIFICATION_STATUSES, max_length=24, verbose_name="原状态"),
                ),
                ("to_status", models.CharField(choices=VERIFICATION_STATUSES, max_length=24, verbose_name="新状态")),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        help_text="空表示系统",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="操作人",
                    ),
                ),
                (
                    "verification",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="history",
                        to="residents.verification",
                        verbose_name="住户认证",
                    ),
                ),
            ],
            options={
                "verbose_name": "住户认证记录",
                "verbose_name_plural": "住户认证记录",
                "ordering": ["created_at", "id"],
                "abstract": False,
            },
        ),
        migrations.RunPython(verification_history_from_applications, migrations.RunPython.noop),
    ]
