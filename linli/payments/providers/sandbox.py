"""The sandbox provider: answers like a provider, moves no money, calls nothing outside.

A sandbox payment succeeds when its callback is simulated through
`POST /api/v1/payments/{id}/sandbox-complete/`, which goes through the same notification handler
a real provider's callback uses. Refunds and Pay Score completions succeed at once.
"""

import secrets
import time

from linli.payments.models import Provider
from linli.payments.providers.base import RefundState, ServiceOrderStep, TransactionState


class SandboxProvider:
    name = Provider.SANDBOX
    supports_service_orders = True

    def prepare(self, intent, *, openid: str) -> tuple[str, dict]:
        prepay_id = f"sandbox-{intent.out_trade_no}"
        return prepay_id, {
            "provider": self.name,
            "timeStamp": str(int(time.time())),
            "nonceStr": secrets.token_hex(16),
            "package": f"prepay_id={prepay_id}",
            "signType": "RSA",
            "paySign": "sandbox",
            "sandbox_complete_url": f"/api/v1/payments/{intent.pk}/sandbox-complete/",
        }

    def query(self, intent) -> TransactionState | None:
        # The sandbox's only source of truth is the simulated callback, already applied.
        return None

    def close(self, intent) -> None:
        return None

    def refund(self, refund) -> RefundState:
        return RefundState(status="succeeded", provider_refund_id=f"sandbox-{refund.out_refund_no}")

    def service_order_create(self, service_order, *, openid: str) -> ServiceOrderStep:
        return ServiceOrderStep(provider_reference=f"sandbox-{service_order.out_order_no}")

    def service_order_complete(self, service_order, *, intent) -> ServiceOrderStep:
        return ServiceOrderStep(provider_reference=f"sandbox-{intent.out_trade_no}", collected=True)

    def service_order_cancel(self, service_order, *, reason: str) -> None:
        return None

    def contract_start(self, *, authorization_code: str) -> dict:
        return {}

    def contract_terminate(self, contract, *, reason: str) -> None:
        return None
