"""Real-mode medical-insurance (医保自费混合收款) writes that only the WeChat provider needs.

A refund of a mixed order has two parts: the cash part is refunded through WeChat Pay's refund API
(its callback comes to the refund-notify endpoint), the insurance part by the 医保 platform, which
WeChat only learns about afterwards. So a refund with an insurance part stays pending after its cash
callback; `med_ins_refunds_sync` (beat job `payments.med_ins_refunds_sync`) asks WeChat about both
parts and applies the answer through `refunds.refund_notification_handle`, the same idempotent
handler as the callbacks: completed (refund_succeeded) or failed (refund_failed, refundable again).

WeChat learns that the 医保 platform refunded the insurance part from us (医保退款通知,
`POST /v3/med-ins/refunds/notify`): `med_ins_refund_confirm` reports it — staff run it from the
refund admin once the pharmacy's 医保 system shows the personal-account refund — and settles the
refund at once when its cash part is done.
"""

import logging
from datetime import timedelta

from django.utils import timezone

from linli.api.errors import InvalidTransition
from linli.payments.models import PaymentNotification, Provider, Refund
from linli.payments.providers import get_provider
from linli.payments.providers.base import ProviderError
from linli.payments.services._common import upstream_error
from linli.payments.services.refunds import refund_notification_handle

logger = logging.getLogger(__name__)

SYNC_AFTER = timedelta(minutes=5)


def med_ins_refunds_sync(*, now=None, after: timedelta = SYNC_AFTER, limit: int = 200) -> int:
    """Pending refunds of WeChat medical-insurance orders older than `after`: ask WeChat, apply a final answer.
    Queried outside any transaction, applied each in its own; an outage leaves it for the next run.
    Returns how many refunds were completed or failed."""
    now = now or timezone.now()
    pending = list(
        Refund.objects.filter(
            status=Refund.Status.PENDING, intent__provider=Provider.WECHAT_MED_INS, created_at__lte=now - after
        )
        .select_related("intent")
        .order_by("created_at")[:limit]
    )
    if not pending:
        return 0
    provider = get_provider(Provider.WECHAT_MED_INS)
    settled = 0
    for refund in pending:
        try:
            notification = _settle(provider, refund)
        except ProviderError as exc:
            logger.warning("med-ins refund %s: query failed (%s), next run tries again", refund.out_refund_no, exc)
            continue
        settled += notification is not None and notification.outcome == PaymentNotification.Outcome.APPLIED
    return settled


def _settle(provider, refund: Refund) -> PaymentNotification | None:
    """Ask WeChat about both parts of `refund`; a final answer goes through the refund handler."""
    status, cash_refunded, refund_id = provider.refund_state(refund)
    if status == "PROCESSING":
        return None
    return refund_notification_handle(
        provider=Provider.WECHAT_MED_INS,
        event_type="REFUND.QUERY",
        out_refund_no=refund.out_refund_no,
        refund_status=status,
        provider_refund_id=refund_id,
        amount_fen=cash_refunded,
        notification_id=f"med-ins-refund-query-{refund.out_refund_no}",
    )


def med_ins_refund_confirm(*, refund: Refund, refund_time=None) -> Refund:
    """The 医保 platform refunded the insurance part of `refund` (the pharmacy's 医保 system says so):
    report it to WeChat (医保退款通知) and settle the refund at once if its cash part is done too (else
    the beat job does). Only for a pending refund with an insurance part; confirming twice reports once."""
    refund = Refund.objects.select_related("intent").get(pk=refund.pk)
    if refund.intent.provider != Provider.WECHAT_MED_INS or not refund.insurance_fen:
        raise InvalidTransition("该退款没有微信医保个账部分")
    if refund.status != Refund.Status.PENDING:
        return refund
    provider = get_provider(Provider.WECHAT_MED_INS)
    try:
        provider.insurance_refund_report(refund, refund_time=refund_time or timezone.now())
        _settle(provider, refund)
    except ProviderError as exc:
        raise upstream_error(exc) from None
    refund.refresh_from_db()
    return refund
