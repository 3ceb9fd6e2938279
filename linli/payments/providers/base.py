"""The interface every payment provider implements."""

from dataclasses import dataclass, field
from typing import Protocol


class ProviderError(Exception):
    """The provider refused or could not be reached. `transient` errors are worth retrying."""

    def __init__(self, message: str, *, code: str = "", transient: bool = False, status: int | None = None):
        self.code = code
        self.transient = transient
        self.status = status
        super().__init__(message)


@dataclass(frozen=True)
class TransactionState:
    """What the provider says about a payment (a notification or a query)."""

    out_trade_no: str
    trade_state: str  # SUCCESS, NOTPAY, CLOSED, PAYERROR, USERPAYING, REFUND, …
    transaction_id: str = ""
    amount_fen: int | None = None
    payload: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RefundState:
    status: str  # "succeeded", "pending" or "failed"
    provider_refund_id: str = ""
    detail: str = ""


@dataclass(frozen=True)
class ServiceOrderStep:
    """The outcome of a Pay Score step. `collected`: the money was taken at once (sandbox)."""

    provider_reference: str = ""
    collected: bool = False
    client_params: dict = field(default_factory=dict)


class PaymentProvider(Protocol):
    name: str
    supports_service_orders: bool

    def prepare(self, intent, *, openid: str) -> tuple[str, dict]:
        """Create the provider's order for `intent.cash_fen`; return (prepay id, client parameters)."""

    def query(self, intent) -> TransactionState | None:
        """The provider's current view of the payment, or None when it has never heard of it."""

    def close(self, intent) -> None:
        """Make the payment impossible from now on (the intent expired or was cancelled)."""

    def refund(self, refund) -> RefundState:
        """Send `refund.cash_fen` back to the payer."""

    def service_order_create(self, service_order, *, openid: str) -> ServiceOrderStep:
        """Pay Score step 1: open a service order (the amount is not known yet)."""

    def service_order_complete(self, service_order, *, intent) -> ServiceOrderStep:
        """Pay Score step 2: complete it with the settled amount (`intent.amount_fen`)."""

    def service_order_cancel(self, service_order, *, reason: str) -> None:
        """Cancel an open service order: nothing is charged."""

    def contract_start(self, *, authorization_code: str) -> dict:
        """Pay Score authorisation: what the mini-program needs to show the provider's page ({} when
        there is none, as in the sandbox). The provider's callback activates the contract."""

    def contract_terminate(self, contract, *, reason: str) -> None:
        """End the payer's authorisation at the provider (ended there already is not an error)."""


INSURANCE_BALANCE_INSUFFICIENT = "INSURANCE_BALANCE_INSUFFICIENT"


class InsuranceProvider(PaymentProvider, Protocol):
    """A provider of medical-insurance mixed orders (医保自费混合收款): one order whose
    `intent.insurance_fen` is paid from the payer's personal account and `intent.cash_fen` by WeChat Pay
    (cash only, insurance only, or both). `refund()` gives back `refund.cash_fen` and `refund.insurance_fen`."""

    supports_insurance: bool

    def insurance_settle(self, intent) -> bool:
        """Called once when the intent is created. True when the insurance part is taken now (the sandbox);
        False when the payer confirms it later in WeChat. Raises ProviderError(code=INSURANCE_BALANCE_INSUFFICIENT)."""

    def insurance_release(self, intent) -> None:
        """The intent ended unpaid: give back an insurance part `insurance_settle` took."""
