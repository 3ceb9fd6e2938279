"""到家办 at the drug vending machine: a resident buys their prescription, paid from the
medical-insurance personal account (covered drugs) and WeChat Pay (the rest) in one mixed order.

    prescription_dispense → Dispense pending_payment ──paid──▶ dispensing (`dispense` command queued)
        ──ack done──▶ dispensed (the prescription too)
        ──ack failed / command expired──▶ failed: both parts refunded, the prescription is free again
    pending_payment ──payment closed / failed──▶ cancelled: the prescription is free again

Locks: the prescription row first in `prescription_dispense`; everything the payments platform or
the device gateway starts takes the payment intent first, then the dispense, then the prescription
(the order of linli.payments.services).
"""

from django.db import transaction
from django.utils import timezone

from health.models import Dispense, Prescription
from linli import workflow
from linli.accounts.models import Role, User
from linli.accounts.selectors import community_ids_for
from linli.api.errors import ConflictError, DomainError, NotFoundError
from linli.devices.models import Device, DeviceCommand
from linli.devices.services import device_command_create
from linli.notifications.services import notify
from linli.payments import selectors as payment_selectors
from linli.payments import services as payments
from linli.payments.models import PaymentIntent

PURPOSE = "health.dispense"
S = Dispense.Status
RX = Prescription.Status
RXA = Prescription.Action


class AlreadyDispensed(ConflictError):
    code = "already_dispensed"
    default_message = "该处方已取药或正在取药"


class PrescriptionExpired(ConflictError):
    code = "prescription_expired"
    default_message = "处方已过有效期，请重新问诊开方"


class DeviceUnavailable(ConflictError):
    code = "device_unavailable"
    default_message = "自助售药机暂不可用，请稍后再试"


def _vending_machine(code: str, resident: User) -> Device:
    """An online drug vending machine of one of the resident's communities."""
    device = Device.objects.filter(code=code, kind=Device.Kind.DRUG_VENDING).first()
    if device is None or device.community_id not in community_ids_for(resident, Role.RESIDENT):
        raise DomainError(
            "找不到该自助售药机", code="validation_error", fields={"device": ["不是你所在社区的自助售药机"]}
        )
    if device.status != Device.Status.ONLINE:
        raise DeviceUnavailable(f"{device.name}当前离线，请稍后再试")
    return device


@transaction.atomic
def prescription_dispense(
    *, prescription: Prescription, resident: User, device_code: str, payment_method: str
) -> Dispense:
    """Start buying `prescription` at a machine. With `insurance_account` the covered drugs
    (`covered_fen`) are charged to the personal account and the rest to WeChat Pay; with `wechat_pay`
    everything is cash. Paid in full at once (insurance only), the machine is told to dispense now."""
    prescription = Prescription.objects.select_for_update().get(pk=prescription.pk)
    if prescription.resident_id != resident.pk:
        raise NotFoundError()
    if prescription.status in (RX.DISPENSING, RX.DISPENSED):
        raise AlreadyDispensed()
    if prescription.is_expired():
        raise PrescriptionExpired()
    device = _vending_machine(device_code, resident)
    dispense = Dispense.objects.create(
        prescription=prescription, resident=resident, device=device, payment_method=payment_method
    )
    workflow.transition(prescription, RXA.START_DISPENSING, actor=resident, note=device.name, locked=True)
    insurance = prescription.covered_fen if payment_method == Dispense.PaymentMethod.INSURANCE_ACCOUNT else 0
    intent = payments.payment_intent_create(
        payer=resident,
        amount_fen=prescription.total_fen,
        insurance_fen=insurance,
        method=payment_method,
        purpose=PURPOSE,
        reference=str(dispense.pk),
        description=f"{device.name} 处方取药 #{prescription.pk}",
    )
    Dispense.objects.filter(pk=dispense.pk).update(payment_intent=intent)
    if intent.status == PaymentIntent.Status.CREATED:
        payments.payment_intent_prepare(intent=intent)  # the parameters of wx.request(MedicalInsurance)Pay
    dispense.refresh_from_db()
    return dispense


def _lock(dispense_id) -> Dispense | None:
    return Dispense.objects.select_for_update().select_related("prescription", "device").filter(pk=dispense_id).first()


def _free_prescription(prescription: Prescription, *, note: str) -> None:
    """No drugs left the machine: the prescription may be bought again while it is valid."""
    workflow.lock(prescription)
    if workflow.can(prescription, RXA.RELEASE):
        workflow.transition(prescription, RXA.RELEASE, note=note, locked=True)


def _items(prescription: Prescription) -> list[dict]:
    return [
        {
            "drug": item.drug_id,
            "name": item.drug.name,
            "specification": item.drug.specification,
            "quantity": item.quantity,
        }
        for item in prescription.items.select_related("drug").order_by("id")
    ]


# --- payment outcomes (health.receivers, inside the payments transaction; the intent is locked) -----


def on_payment_succeeded(intent: PaymentIntent) -> None:
    dispense = _lock(intent.reference)
    if dispense is None or dispense.status != S.PENDING_PAYMENT:
        return
    command = device_command_create(
        device=dispense.device,
        kind="dispense",
        payload={
            "dispense": dispense.pk,
            "prescription": dispense.prescription_id,
            "items": _items(dispense.prescription),
        },
        dedupe_key=f"health-dispense:{dispense.pk}:dispense",
    )
    dispense.status = S.DISPENSING
    dispense.command = command
    dispense.save(update_fields=["status", "command", "updated_at"])


def on_payment_ended(intent: PaymentIntent, reason: str) -> None:
    dispense = _lock(intent.reference)
    if dispense is None or dispense.status != S.PENDING_PAYMENT:
        return
    dispense.status = S.CANCELLED
    dispense.failure_reason = f"支付未完成（{reason}）"[:200]
    dispense.save(update_fields=["status", "failure_reason", "updated_at"])
    _free_prescription(dispense.prescription, note=dispense.failure_reason)


def on_refund_succeeded(intent: PaymentIntent, refund) -> None:
    dispense = Dispense.objects.filter(pk=intent.reference).only("pk", "resident_id", "prescription_id").first()
    if dispense is None:
        return
    parts = [f"医保个账 {refund.insurance_fen / 100:.2f} 元"] if refund.insurance_fen else []
    if refund.cash_fen:
        parts.append(f"微信支付 {refund.cash_fen / 100:.2f} 元")
    if refund.points_fen:
        parts.append(f"积分 {refund.points_fen} 分")
    notify(
        dispense.resident_id,
        "health.dispense.refunded",
        "取药退款已到账",
        f"处方 #{dispense.prescription_id} 的退款已原路退回：{'，'.join(parts)}。",
        link=f"/pages/health/prescription?id={dispense.prescription_id}",
        data={"prescription": dispense.prescription_id, "dispense": dispense.pk, "refund": refund.pk},
        dedupe_key=f"health-dispense-refund:{refund.pk}",
    )


# --- the machine's answer (health.devices, inside the ack / expiry transaction) ----------------------


def dispense_acknowledged(command: DeviceCommand) -> None:
    """`done`: the drugs are out — dispensed. `failed` or `expired`: refund both parts, free the prescription."""
    dispense_id = (command.payload or {}).get("dispense")
    row = Dispense.objects.filter(pk=dispense_id, device_id=command.device_id, command_id=command.pk).values_list(
        "payment_intent_id", flat=True
    )
    if not row:
        return  # another app's dispense command (the rice mill's)
    with transaction.atomic():
        intent = payment_selectors.lock_intent(row[0])
        dispense = _lock(dispense_id)
        if dispense.status != S.DISPENSING:
            return  # a repeated ack
        prescription = Prescription.objects.select_for_update().get(pk=dispense.prescription_id)
        now = timezone.now()
        link = f"/pages/health/prescription?id={prescription.pk}"
        if command.status == DeviceCommand.Status.DONE:
            dispense.status = S.DISPENSED
            dispense.dispensed_at = now
            dispense.save(update_fields=["status", "dispensed_at", "updated_at"])
            workflow.transition(prescription, RXA.DISPENSE, note=dispense.device.name, locked=True, dispensed_at=now)
            notify(
                dispense.resident_id,
                "health.dispense.done",
                "取药完成",
                f"请在{dispense.device.name}出药口取走药品，并按医嘱用药。",
                link=link,
                data={"prescription": prescription.pk, "dispense": dispense.pk},
                dedupe_key=f"health-dispense:{dispense.pk}:done",
            )
            return
        reason = "售药机出药失败" if command.status == DeviceCommand.Status.FAILED else "售药机未响应"
        dispense.status = S.FAILED
        dispense.failure_reason = reason
        dispense.save(update_fields=["status", "failure_reason", "updated_at"])
        _free_prescription(prescription, note=reason)
        if intent.refundable_fen:
            payments.refund_create(intent=intent, amount_fen=intent.refundable_fen, reason=f"{reason}，自动退款")
        notify(
            dispense.resident_id,
            "health.dispense.failed",
            "取药失败，已退款",
            f"{dispense.device.name}{reason}，医保个账与微信支付部分均已原路退回；处方有效期内可再次取药。",
            link=link,
            data={"prescription": prescription.pk, "dispense": dispense.pk},
            dedupe_key=f"health-dispense:{dispense.pk}:failed",
        )
