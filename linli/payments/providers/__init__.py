"""Payment providers behind one interface (`base.PaymentProvider`).

* `sandbox` — the embedded default: nothing leaves the machine; the provider's callback is
  simulated by `POST /api/v1/payments/{id}/sandbox-complete/` (only with LINLI_SANDBOX on).
* `wechat_pay` — WeChat Pay API v3 (JSAPI for the mini-program), see `wechat.py`; with
  WECHATPAY_PAYSCORE_SERVICE_ID also Pay Score (支付分) contracts and service orders, see
  `wechat_payscore.py` (same provider name: contracts and service orders say `wechat_pay`).

Medical-insurance mixed orders (method `insurance_account`) have their own providers:

* `med_ins_sandbox` — the embedded default: a local personal-account ledger, see `med_ins_sandbox.py`.
* `wechat_med_ins` — WeChat Pay 医保自费混合收款 (`/v3/med-ins/orders`), see `wechat_med_ins.py`.
"""

from django.conf import settings

from linli.api.errors import ServiceUnavailable
from linli.payments.models import Provider
from linli.payments.providers.base import PaymentProvider


def default_provider_name() -> str:
    """The provider new cash payments use: PAYMENTS_PROVIDER, else WeChat Pay when configured, else the sandbox."""
    if settings.PAYMENTS_PROVIDER:
        return settings.PAYMENTS_PROVIDER
    if settings.WECHATPAY_MCH_ID:
        return Provider.WECHAT_PAY
    if settings.LINLI_SANDBOX:
        return Provider.SANDBOX
    raise ServiceUnavailable("在线支付尚未开通", code="payments_unavailable")


def default_insurance_provider_name() -> str:
    """The provider of medical-insurance mixed orders: PAYMENTS_INSURANCE_PROVIDER, else the sandbox."""
    if settings.PAYMENTS_INSURANCE_PROVIDER:
        return settings.PAYMENTS_INSURANCE_PROVIDER
    if settings.LINLI_SANDBOX:
        return Provider.MED_INS_SANDBOX
    raise ServiceUnavailable("医保个账支付尚未开通", code="payments_unavailable")


def get_provider(name: str) -> PaymentProvider:
    if name == Provider.SANDBOX:
        if not settings.LINLI_SANDBOX:
            raise ServiceUnavailable("沙箱支付已关闭", code="payments_unavailable")
        from linli.payments.providers.sandbox import SandboxProvider

        return SandboxProvider()
    if name == Provider.WECHAT_PAY:
        if not settings.WECHATPAY_MCH_ID:
            raise ServiceUnavailable("微信支付尚未配置", code="payments_unavailable")
        if settings.WECHATPAY_PAYSCORE_SERVICE_ID:
            from linli.payments.providers.wechat_payscore import WeChatPayScoreProvider

            return WeChatPayScoreProvider.from_settings()
        from linli.payments.providers.wechat import WeChatPayProvider

        return WeChatPayProvider.from_settings()
    if name == Provider.MED_INS_SANDBOX:
        if not settings.LINLI_SANDBOX:
            raise ServiceUnavailable("沙箱支付已关闭", code="payments_unavailable")
        from linli.payments.providers.med_ins_sandbox import SandboxMedInsProvider

        return SandboxMedInsProvider()
    if name == Provider.WECHAT_MED_INS:
        if not (settings.WECHATPAY_MCH_ID and settings.WECHATPAY_MED_INS_CITY_ID):
            raise ServiceUnavailable("微信医保支付尚未配置", code="payments_unavailable")
        from linli.payments.providers.wechat_med_ins import WeChatMedInsProvider

        return WeChatMedInsProvider.from_settings()
    raise ServiceUnavailable(f"未知的支付通道 {name}", code="payments_unavailable")
