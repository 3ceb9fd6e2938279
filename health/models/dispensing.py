"""Dispensing a prescription at a drug vending machine (自助售药机): one attempt per row.

At most one attempt of a prescription is live or done at a time (a partial unique constraint): a
prescription is dispensed at most once. An attempt that ends without drugs (unpaid, or the machine
failed and everything was refunded) frees the prescription for another try within its validity.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from health.models.consultations import Prescription
from linli.lib.models import TimestampedModel


class Dispense(TimestampedModel):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", "待支付"
        DISPENSING = "dispensing", "出药中"
        DISPENSED = "dispensed", "已取药"
        FAILED = "failed", "出药失败（已退款）"
        CANCELLED = "cancelled", "未支付已取消"

    LIVE = (Status.PENDING_PAYMENT, Status.DISPENSING, Status.DISPENSED)

    class PaymentMethod(models.TextChoices):
        INSURANCE_ACCOUNT = "insurance_account", "医保个账（目录外部分微信支付）"
        WECHAT_PAY = "wechat_pay", "微信支付"

    prescription = models.ForeignKey(
        Prescription, on_delete=models.PROTECT, related_name="dispenses", verbose_name="处方"
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dispenses", verbose_name="居民"
    )
    device = models.ForeignKey(
        "devices.Device", on_delete=models.PROTECT, related_name="dispenses", verbose_name="自助售药机"
    )
    payment_method = models.CharField("支付方式", max_length=20, choices=PaymentMethod.choices)
    payment_intent = models.OneToOneField(
        "payments.PaymentIntent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="health_dispense",
        verbose_name="支付单",
    )
    command = models.OneToOneField(
        "devices.DeviceCommand",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="health_dispense",
        verbose_name="出药指令",
    )
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.PENDING_PAYMENT, db_index=True
    )
    dispensed_at = models.DateTimeField("出药时间", null=True, blank=True)
    failure_reason = models.CharField("失败原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "处方取药"
        verbose_name_plural = "处方取药"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["prescription"],
                condition=Q(status__in=["pending_payment", "dispensing", "dispensed"]),
                name="health_dispense_one_live_per_rx",
            ),
        ]

    def __str__(self):
        return f"处方 #{self.prescription_id} 取药 {self.get_status_display()}"
