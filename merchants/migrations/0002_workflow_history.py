"""Orders and merchant applications on the platform workflow (linli/workflow).

`OrderHistory` keeps its table and rows and gains the `action` of each step, read from the step
itself (pending → paid is paying, ready → completed is a pickup, …). Applications get their history,
started from what each already tells: submitted at `created_at`, approved or rejected at `reviewed_at`.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

ORDER_STATUSES = [
    ("pending_payment", "待支付"),
    ("paid", "已支付"),
    ("accepted", "已接单"),
    ("ready", "待取货"),
    ("completed", "已完成"),
    ("under_review", "待核对"),
    ("cancelled", "已取消"),
    ("refunded", "已退款"),
]
ORDER_ACTIONS = [
    ("place", "下单"),
    ("flag_for_review", "转人工核对"),
    ("pay", "支付"),
    ("accept", "接单"),
    ("ready", "备货完成"),
    ("pick_up", "取货"),
    ("complete", "完成出货"),
    ("review", "核对"),
    ("refund", "退款"),
    ("partial_refund", "部分退款"),
    ("cancel", "取消"),
]
APPLICATION_STATUSES = [("pending", "待审核"), ("approved", "已通过"), ("rejected", "已驳回")]

# (from, to) → action; a row from no status is the order's creation, a row that stays is a partial refund.
_BY_STEP = {
    ("", "pending_payment"): "place",
    ("", "under_review"): "flag_for_review",
    ("pending_payment", "paid"): "pay",
    ("paid", "accepted"): "accept",
    ("accepted", "ready"): "ready",
    ("ready", "completed"): "pick_up",
    ("paid", "completed"): "complete",
    ("under_review", "pending_payment"): "review",
}
_BY_TARGET = {"refunded": "refund", "cancelled": "cancel"}


def action_of(from_status: str, to_status: str) -> str:
    if from_status and from_status == to_status:
        return "partial_refund"
    return _BY_STEP.get((from_status, to_status)) or _BY_TARGET.get(to_status, "")


def order_history_actions(apps, schema_editor):
    OrderHistory = apps.get_model("merchants", "OrderHistory")
    steps = OrderHistory.objects.values_list("from_status", "to_status").distinct()
    for from_status, to_status in list(steps):
        OrderHistory.objects.filter(from_status=from_status, to_status=to_status).update(
            action=action_of(from_status, to_status)
        )


def application_history_from_applications(apps, schema_editor):
    MerchantApplication = apps.get_model("merchants", "MerchantApplication")
    MerchantApplicationHistory = apps.get_model("merchants", "MerchantApplicationHistory")
    rows = []
    for a in MerchantApplication.objects.order_by("pk").iterator():
        rows.append(
            MerchantApplicationHistory(
                application_id=a.pk,
                action="submit",
                to_status="pending",
                actor_id=a.applicant_id,
                created_at=a.created_at,
            )
        )
        if a.status in ("approved", "rejected"):
            rows.append(
                MerchantApplicationHistory(
                    application_id=a.pk,
                    action="approve" if a.status == "approved" else "reject",
                    from_status="pending",
                    to_status=a.status,
                    actor_id=a.reviewed_by_id,
                    note=a.review_note,
                    created_at=a.reviewed_at or a.updated_at,
                )
            )
    MerchantApplicationHistory.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("merchants", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="orderhistory",
            name="action",
            field=models.CharField(choices=ORDER_ACTIONS, default="", max_length=24, verbose_name="操作"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="orderhistory",
            name="from_status",
            field=models.CharField(blank=True, choices=ORDER_STATUSES, max_length=24, verbose_name="原状态"),
        ),
        migrations.AlterField(
            model_name="orderhistory",
            name="to_status",
            field=models.CharField(choices=ORDER_STATUSES, max_length=24, verbose_name="新状态"),
        ),
        migrations.AlterField(
            model_name="orderhistory",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                help_text="空表示系统",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="操作人",
            ),
        ),
        migrations.AlterField(
            model_name="orderhistory",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="时间"),
        ),
        migrations.RunPython(order_history_actions, migrations.RunPython.noop),
        migrations.CreateModel(
            name="MerchantApplicationHistory",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="备注")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="时间")),
                (
                    "action",
                    models.CharField(
                        choices=[("submit", "提交"), ("approve", "通过"), ("reject", "驳回")],
                        max_length=24,
                        verbose_name="操作",
                    ),
                ),
                (
                    "from_status",
                    models.CharField(blank=True, choices=APPLICATION_STATUSES, max_length=24, verbose_name="原状态"),
                ),
                ("to_status", models.CharField(choices=APPLICATION_STATUSES, max_length=24, verbose_name="新状态")),
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
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="history",
                        to="merchants.merchantapplication",
                        verbose_name="入驻申请",
                    ),
                ),
            ],
            options={
                "verbose_name": "入驻申请记录",
                "verbose_name_plural": "入驻申请记录",
                "ordering": ["created_at", "id"],
                "abstract": False,
            },
        ),
        migrations.RunPython(application_history_from_applications, migrations.RunPython.noop),
    ]
