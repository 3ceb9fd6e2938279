"""Real-mode medical-insurance (医保自费混合收款) writes that only the WeChat provider needs.

A refund of a mixed order has two parts: the cash part is refunded through WeChat Pay's refund API
(its callback comes to the refund-notify endpoint), the insurance part by the 医保 platform, which
WeChat only learns about afterwards. So a refund with an insurance part stays pending after its cash
callback; `med_ins_refunds_sync` (beat job `payments.med_ins_refunds_sync`) asks WeChat about both
parts and applies the answer through `services.refund_notification_handle`, the same idempotent
handler as the callbacks: completed (refund_succeeded) or failed (refund_failed, refundable again).
"""

import logging
from datetime import timedelta

from django.utils import timezone

from linli.payments import services
from linli.payments.models import PaymentNotification, Provider, Refund
from linli.payments.providers import get_provider
from linli.payments.providers.base import ProviderError

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
            status, cash_refunded, refund_id = provider.refund_state(refund)
        except ProviderError as exc:
            logger.warning("med-ins refund %s: query failed (%s), next run tries again", refund.out_refund_no, exc)
            continue
        if status == "PROCESSING":
            continue
        notification = services.refund_notification_handle(
            provider=Provider.WECHAT_MED_INS,
            event_type="REFUND.QUERY",
            out_refund_no=refund.out_refund_no,
            refund_status=status,
            provider_refund_id=refund_id,
            amount_fen=cash_refunded,
            notification_id=f"med-ins-refund-query-{refund.out_refund_no}",
        )
        settled += notification.outcome == PaymentNotification.Outcome.APPLIED
    return settled
