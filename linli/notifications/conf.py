"""Which kinds of notification go to which channel, and with which template: configuration.

A notification kind is a dotted string (`work_order.assigned`, `health.vitals.abnormal`). It is
configured by the most specific *topic* that matches it: the kind itself, then its prefixes
(`health.vitals`, `health`), then `default`. A topic says

    channels     push channels besides the in-app inbox, which every notification gets:
                 "wechat" (subscribe message) and/or "sms"
    essential    True: the user cannot turn it off (safety, money, decisions about them)
    label        the name a resident sees in their preferences
    wechat       {"fields": {keyword: source}}: how to fill the subscribe-message template,
                 source = "title" | "body" | "created_at" | "data.<key>"; the template id of the topic
                 comes from settings.WECHAT_SUBSCRIBE_TEMPLATES (env WECHAT_SUBSCRIBE_TEMPLATES=
                 "work_order=<id>,health=<id>"), in sandbox mode `sandbox-<topic>` when not set
    sms_template the SMS provider's template code

A deployment changes topics with `NOTIFICATION_KINDS` in settings (entries are merged over these).
Muting a topic (preferences) stops its pushes; the inbox always keeps the message.
"""

from dataclasses import dataclass, field

from django.conf import settings

INBOX, WECHAT, SMS = "inbox", "wechat", "sms"
PUSH_CHANNELS = (WECHAT, SMS)
ALL_CHANNELS = (INBOX, *PUSH_CHANNELS)

# A generic 「服务通知」 template: 事项 (thing), 内容 (thing), 时间 (time). Most topics use one of this shape.
GENERIC_FIELDS = {"thing1": "title", "thing2": "body", "time3": "created_at"}

DEFAULT_KINDS: dict[str, dict] = {
    "default": {"label": "其他通知", "channels": []},
    "announcement": {"label": "社区公告", "channels": []},
    "verification": {"label": "住户认证结果", "channels": [WECHAT], "essential": True},
    "work_order": {"label": "报修与投诉进度", "channels": [WECHAT]},
    "events": {"label": "活动报名与变更", "channels": [WECHAT]},
    "events.cancelled": {"label": "活动取消", "channels": [WECHAT], "essential": True},
    "market": {"label": "市集订单", "channels": [WECHAT]},
    "market.refund_succeeded": {"label": "退款到账", "channels": [WECHAT], "essential": True},
    "market.order_partially_refunded": {"label": "退款到账", "channels": [WECHAT], "essential": True},
    "health": {"label": "医保到家服务", "channels": [WECHAT]},
    "health.policy": {"label": "医保政策推送", "channels": []},
    "property.arrears": {"label": "物业缴费提醒", "channels": [WECHAT]},
    "health.vitals.abnormal": {
        "label": "健康异常提醒",
        "channels": [WECHAT, SMS],
        "essential": True,
        "sms_template": "SMS_LINLI_HEALTH_ALERT",
    },
    "family": {"label": "亲情账号", "channels": [WECHAT]},
    "family.binding": {"label": "亲情绑定申请与变更", "channels": [WECHAT], "essential": True},
    "care": {"label": "居家养老服务进度", "channels": [WECHAT]},
    "care.visit_missed": {"label": "探访逾期提醒", "channels": [WECHAT], "essential": True},
    # 一键呼叫: family, providers and staff are paged at once and again until someone answers.
    "care.alarm": {
        "label": "紧急呼叫",
        "channels": [WECHAT, SMS],
        "essential": True,
        "sms_template": "SMS_LINLI_CARE_ALARM",
    },
    "devices": {
        "label": "设备告警",
        "channels": [SMS],
        "essential": True,
        "sms_template": "SMS_LINLI_DEVICE_ALERT",
    },
}


@dataclass(frozen=True)
class Topic:
    key: str
    label: str
    channels: tuple[str, ...]
    essential: bool = False
    wechat_template: str = ""
    wechat_fields: dict = field(default_factory=dict)
    sms_template: str = ""

    @property
    def mutable(self) -> bool:
        return bool(self.channels) and not self.essential


def _kinds() -> dict[str, dict]:
    overrides = getattr(settings, "NOTIFICATION_KINDS", None) or {}
    merged = {key: dict(value) for key, value in DEFAULT_KINDS.items()}
    for key, value in overrides.items():
        merged[key] = {**merged.get(key, {}), **value}
    return merged


def _template_id(key: str) -> str:
    templates = getattr(settings, "WECHAT_SUBSCRIBE_TEMPLATES", None) or {}
    # A kind like health.vitals.abnormal may share its parent's template.
    parts = key.split(".")
    for end in range(len(parts), 0, -1):
        template = templates.get(".".join(parts[:end]))
        if template:
            return template
    return f"sandbox-{key}" if settings.LINLI_SANDBOX else ""


def _topic(key: str, raw: dict) -> Topic:
    channels = tuple(c for c in raw.get("channels", []) if c in PUSH_CHANNELS)
    wechat = raw.get("wechat") or {}
    return Topic(
        key=key,
        label=raw.get("label", key),
        channels=channels,
        essential=bool(raw.get("essential", False)),
        wechat_template=_template_id(key),
        wechat_fields=dict(wechat.get("fields") or GENERIC_FIELDS),
        sms_template=raw.get("sms_template", "SMS_LINLI_NOTICE") if SMS in channels else "",
    )


def topics() -> dict[str, Topic]:
    """All configured topics by key (settings are read each time, so tests may override them)."""
    return {key: _topic(key, raw) for key, raw in _kinds().items()}


def topic_for(kind: str, all_topics: dict[str, Topic] | None = None) -> Topic:
    """The most specific topic for `kind`: the kind itself, then its dotted prefixes, then `default`."""
    all_topics = all_topics if all_topics is not None else topics()
    parts = kind.split(".")
    for end in range(len(parts), 0, -1):
        found = all_topics.get(".".join(parts[:end]))
        if found is not None:
            return found
    return all_topics.get("default") or Topic(key="default", label="其他通知", channels=())


def push_channels_for(kind: str, requested: list[str] | None = None) -> list[str]:
    """The push channels of a notification: `requested` when the caller named them, else the topic's."""
    if requested is None:
        return list(topic_for(kind).channels)
    unknown = set(requested) - set(ALL_CHANNELS)
    if unknown:
        raise ValueError(f"unknown notification channels: {sorted(unknown)}")
    return [c for c in PUSH_CHANNELS if c in requested]


def subscribable_topics() -> list[Topic]:
    """Topics sent as WeChat subscribe messages, with a template the mini-program can ask the user for."""
    return [t for t in topics().values() if WECHAT in t.channels and t.wechat_template]


def known_template_ids() -> set[str]:
    return {t.wechat_template for t in subscribable_topics()}
