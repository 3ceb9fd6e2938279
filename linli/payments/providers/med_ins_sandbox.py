"""The sandbox medical-insurance provider: a mixed order (医保个账 + cash) against a local ledger.

The insurance part is taken from `SandboxInsuranceAccount` when the intent is created (the balance
check happens there: too little is 409 `insurance_balance_insufficient`), given back when the intent
closes unpaid and when it is refunded. The cash part behaves like the sandbox provider's: it is paid
by simulating the callback (`POST /api/v1/payments/{id}/sandbox-complete/`).
"""

from django.db.models import F

from linli.payments.models import Provider, SandboxInsuranceAccount
from linli.payments.providers.base import INSURANCE_BALANCE_INSUFFICIENT, ProviderError, RefundState
from linli.payments.providers.sandbox import SandboxProvider


class SandboxMedInsProvider(SandboxProvider):
    name = Provider.MED_INS_SANDBOX
    supports_service_orders = False
    supports_insurance = True

    def insurance_settle(self, intent) -> bool:
        # One conditional UPDATE: two concurrent orders can never both spend the same balance.
        taken = SandboxInsuranceAccount.objects.filter(
            user_id=intent.payer_id, balance_fen__gte=intent.insurance_fen
        ).update(balance_fen=F("balance_fen") - intent.insurance_fen)
        if not taken:
            account = SandboxInsuranceAccount.objects.filter(user_id=intent.payer_id).first()
            balance = account.balance_fen if account else 0
            raise ProviderError(
                f"医保个账余额 {balance / 100:.2f} 元，不足支付 {intent.insurance_fen / 100:.2f} 元",
                code=INSURANCE_BALANCE_INSUFFICIENT,
            )
        return True

    def _give_back(self, user_id: int, amount_fen: int) -> None:
        if amount_fen:
            SandboxInsuranceAccount.objects.filter(user_id=user_id).update(balance_fen=F("balance_fen") + amount_fen)

    def insurance_release(self, intent) -> None:
        self._give_back(intent.payer_id, intent.insurance_fen)

    def refund(self, refund) -> RefundState:
        self._give_back(refund.intent.payer_id, refund.insurance_fen)
        return RefundState(status="succeeded", provider_refund_id=f"sandbox-{refund.out_refund_no}")
