"""The domain errors of the payments platform (each an HTTP answer with its own `code`)."""

from linli.api.errors import ConflictError, DomainError


class AlreadyPaid(ConflictError):
    code = "already_paid"
    default_message = "该订单已支付"


class PaymentExpired(ConflictError):
    code = "payment_expired"
    default_message = "支付已超时，请重新下单"


class RefundExceedsPaid(ConflictError):
    code = "refund_exceeds_paid"
    default_message = "退款金额超过可退金额"


class InsuranceBalanceInsufficient(ConflictError):
    code = "insurance_balance_insufficient"
    default_message = "医保个账余额不足"


class WeChatLoginRequired(ConflictError):
    code = "wechat_login_required"
    default_message = "请先用微信登录后再支付"


class ContractRequired(ConflictError):
    code = "payment_contract_required"
    default_message = "请先开通免密支付（支付分）"


class PayScoreUnavailable(ConflictError):
    code = "payscore_unavailable"
    default_message = "支付分服务暂未开通"


class InvalidNotificationSignature(DomainError):
    status_code = 401
    code = "invalid_signature"
    default_message = "通知签名无效"


class InvalidNotification(DomainError):
    code = "invalid_notification"
    default_message = "通知内容无法解析"


class NotificationNotReady(DomainError):
    """WeChat Pay should call again later (it retries any answer that is not 2xx)."""

    status_code = 503
    code = "notification_not_ready"
    default_message = "暂时无法处理该通知，请稍后重试"
