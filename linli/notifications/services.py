"""`notify()`: the one way any app tells people something, and the delivery behind it.

`notify()` records inbox rows in bulk and, only after the surrounding transaction commits,
enqueues channel delivery in chunks (`dispatch` tasks of CHUNK_SIZE notifications), so a
rolled-back transaction tells nobody anything and a fan-out to a whole community returns at once.

A dispatch task plans the pushes of its chunk (WeChat subscribe message, SMS): one `Delivery` row
per notification and channel for each recipient who can get it (not muted, has an openid or a
phone, has subscription quota left), then one `send` task per row. A send claims its row with a
conditional UPDATE (pending/retrying → sending) before calling the provider and marks it sent
after, so duplicated or redelivered tasks never send twice. Work that may block or fail before
the provider call (fetching the WeChat access token) happens *before* the claim: a worker killed
there leaves the row claimable for the redelivered task. A worker lost between claim and answer
leaves the row `sending`; the sweeper marks it failed after SENDING_STUCK_AFTER (the outcome is
unknown, so it is never re-sent automatically; staff may retry it from the admin).
"""

import logging
from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from linli.api.errors import DomainError, InvalidTransition, NotFoundError
from linli.lib import wechat
from linli.notifications import conf, sms
from linli.notifications.models import Delivery, Notification, NotificationPreference, SubscriptionQuota
from linli.observability.metrics import NOTIFICATION_DELIVERIES

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500
DISPATCH_STALE_AFTER = timedelta(minutes=5)
QUEUED_STALE_AFTER = timedelta(minutes=30)
SENDING_STUCK_AFTER = timedelta(minutes=15)
SWEEP_LIMIT = 5000

S = Delivery.Status
CLAIMABLE = (S.PENDING, S.RETRYING)

# WeChat errcodes worth another try later; everything else (43101 user refused, 40003 bad openid,
# 40037 bad template, 47003 bad data, 41030 bad page …) will fail the same way again.
WECHAT_TRANSIENT_ERRCODES = {-1, 40001, 40014, 42001, 45009, 45011}


class TransientDeliveryError(Exception):
    """The provider failed in a way that may pass: the send task retries with backoff."""


def _chunks(items: list, size: int | None = None):
    size = size or CHUNK_SIZE
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _recipient_ids(recipients) -> list[int]:
    if isinstance(recipients, QuerySet):
        return list(recipients.values_list("pk", flat=True))
    ids = []
    for r in recipients if isinstance(recipients, Iterable) else [recipients]:
        ids.append(r if isinstance(r, int) else r.pk)
    return list(dict.fromkeys(ids))


def notify(
    recipients,
    kind: str,
    title: str,
    body: str,
    *,
    link: str | None = None,
    data: dict | None = None,
    channels: list[str] | None = None,
    dedupe_key: str | None = None,
) -> int:
    """Notify users (a user, ids, an iterable or a QuerySet). Returns how many new inbox rows were written.

    `channels` names the push channels ("wechat", "sms"; "inbox" is implied) instead of the kind's
    configured ones (linli/notifications/conf.py). `dedupe_key` makes the call idempotent per
    recipient: a second call with the same key adds nothing and sends nothing.
    """
    ids = _recipient_ids(recipients)
    if not ids:
        return 0
    push = conf.push_channels_for(kind, channels)
    rows = [
        Notification(
            recipient_id=user_id,
            kind=kind,
            title=title[:100],
            body=body,
            link=link or "",
            data=data or {},
            dedupe_key=dedupe_key or "",
            push_channels=push,
            dispatch_pending=bool(push),
        )
        for user_id in ids
    ]
    with transaction.atomic():
        if dedupe_key:
            existing = set()
            for chunk in _chunks(ids, 2000):
                existing.update(
                    Notification.objects.filter(recipient_id__in=chunk, dedupe_key=dedupe_key).values_list(
                        "recipient_id", flat=True
                    )
                )
            rows = [row for row in rows if row.recipient_id not in existing]
        created = Notification.objects.bulk_create(rows, batch_size=CHUNK_SIZE, ignore_conflicts=bool(dedupe_key))
        if push and rows:
            if dedupe_key or any(row.pk is None for row in created):
                # ignore_conflicts hands back no ids: read them back (a concurrent twice-dispatched row is
                # harmless, its Delivery rows are unique).
                new_ids = [row.recipient_id for row in rows]
                notification_ids = []
                for chunk in _chunks(new_ids, 2000):
                    notification_ids += Notification.objects.filter(
                        recipient_id__in=chunk, dedupe_key=dedupe_key or "", kind=kind, dispatch_pending=True
                    ).values_list("pk", flat=True)
            else:
                notification_ids = [row.pk for row in created]
            # robust: a broker outage must not fail the caller's request; the sweeper dispatches later.
            transaction.on_commit(partial(enqueue_dispatch, notification_ids), robust=True)
    return len(rows)


def enqueue_dispatch(notification_ids: list[int]) -> None:
    from linli.notifications.tasks import dispatch

    for chunk in _chunks(sorted(notification_ids)):
        dispatch.delay(chunk)


def _enqueue_sends(delivery_ids: list[int]) -> None:
    from linli.notifications.tasks import send

    for delivery_id in delivery_ids:
        send.delay(delivery_id)


# --- planning ------------------------------------------------------------------------------------


def _template_value(notification: Notification, keyword: str, source: str) -> dict:
    if source == "created_at":
        at = timezone.localtime(notification.created_at or timezone.now())
        value = f"{at.year}年{at.month}月{at.day}日 {at:%H:%M}"
    elif source.startswith("data."):
        value = str(notification.data.get(source[5:], ""))
    else:
        value = str(getattr(notification, source, "") or "")
    value = " ".join(value.split()) or "-"
    limit = TEMPLATE_VALUE_LIMITS.get(keyword.rstrip("0123456789"), 20)
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return {"value": value}


# The length limits of WeChat subscribe-message keyword types.
TEMPLATE_VALUE_LIMITS = {
    "thing": 20,
    "name": 10,
    "phrase": 5,
    "symbol": 5,
    "car_number": 8,
    "character_string": 32,
    "letter": 32,
    "number": 32,
    "amount": 32,
    "phone_number": 17,
    "time": 40,
    "date": 40,
}


def wechat_body(notification: Notification, topic: conf.Topic) -> dict:
    return {
        "page": notification.link.lstrip("/"),
        "data": {k: _template_value(notification, k, src) for k, src in topic.wechat_fields.items()},
    }


def _plan(notifications: list[Notification], channel: str, topic: conf.Topic) -> list[Delivery]:
    """Deliveries for the recipients that can get `channel`: not muted, with an address (and WeChat quota)."""
    from linli.accounts.models import User

    user_ids = [n.recipient_id for n in notifications]
    muted = set()
    if not topic.essential:
        muted = set(
            NotificationPreference.objects.filter(user_id__in=user_ids, kind=topic.key, enabled=False).values_list(
                "user_id", flat=True
            )
        )
    users = User.objects.filter(pk__in=set(user_ids) - muted, is_active=True)
    if channel == Delivery.Channel.WECHAT:
        if not topic.wechat_template or _wechat_client() is None:
            return []
        addresses = dict(users.exclude(wechat_openid=None).exclude(wechat_openid="").values_list("pk", "wechat_openid"))
        with_quota = set(
            SubscriptionQuota.objects.filter(
                user_id__in=addresses, template_id=topic.wechat_template, remaining__gt=0
            ).values_list("user_id", flat=True)
        )
        addresses = {pk: openid for pk, openid in addresses.items() if pk in with_quota}
        return [
            Delivery(
                notification=n,
                recipient_id=n.recipient_id,
                channel=channel,
                address=addresses[n.recipient_id],
                template_id=topic.wechat_template,
                payload=wechat_body(n, topic),
            )
            for n in notifications
            if n.recipient_id in addresses
        ]
    if sms.get_backend() is None:
        return []
    phones = dict(users.exclude(phone=None).exclude(phone="").values_list("pk", "phone"))
    return [
        Delivery(
            notification=n,
            recipient_id=n.recipient_id,
            channel=channel,
            address=phones[n.recipient_id],
            template_id=topic.sms_template,
            payload={"title": n.title, "body": n.body[:200]},
        )
        for n in notifications
        if n.recipient_id in phones
    ]


@transaction.atomic
def notifications_dispatch(*, notification_ids: list[int]) -> int:
    """Plan the pushes of these notifications (once: the rows are locked and their flag cleared). Returns deliveries."""
    locked = Notification.objects.select_for_update(skip_locked=True).filter(pk__in=notification_ids)
    notifications = list(locked.filter(dispatch_pending=True).order_by("pk"))
    if not notifications:
        return 0
    all_topics = conf.topics()
    groups: dict[tuple, list[Notification]] = {}
    for n in notifications:
        groups.setdefault((n.kind, tuple(n.push_channels)), []).append(n)
    planned: list[Delivery] = []
    for (kind, channels), members in groups.items():
        topic = conf.topic_for(kind, all_topics)
        for channel in channels:
            planned += _plan(members, channel, topic)
    Delivery.objects.bulk_create(planned, batch_size=CHUNK_SIZE, ignore_conflicts=True)
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(dispatch_pending=False)
    delivery_ids = list(
        Delivery.objects.filter(notification_id__in=[n.pk for n in notifications], status=S.PENDING).values_list(
            "pk", flat=True
        )
    )
    transaction.on_commit(partial(_enqueue_sends, delivery_ids), robust=True)
    return len(delivery_ids)


# --- sending -------------------------------------------------------------------------------------


class _WeChatSender:
    def __init__(self, client):
        self.client = client

    def prepare(self) -> None:
        self.client.access_token()

    def send(self, delivery: Delivery) -> str:
        return self.client.send_subscribe_message(
            touser=delivery.address,
            template_id=delivery.template_id,
            page=delivery.payload.get("page", ""),
            data=delivery.payload.get("data", {}),
            miniprogram_state=settings.WECHAT_MINIPROGRAM_STATE,
        )

    @staticmethod
    def classify(exc) -> tuple[str, str, bool] | None:
        if isinstance(exc, wechat.WeChatError):
            return str(exc.errcode), exc.errmsg[:255], exc.transient or exc.errcode in WECHAT_TRANSIENT_ERRCODES
        return None


class _SmsSender:
    def __init__(self, backend):
        self.backend = backend

    def prepare(self) -> None:
        pass

    def send(self, delivery: Delivery) -> str:
        return self.backend.send(phone=delivery.address, template=delivery.template_id, params=delivery.payload)

    @staticmethod
    def classify(exc) -> tuple[str, str, bool] | None:
        if isinstance(exc, sms.SmsError):
            return exc.code[:32], exc.message[:255], exc.transient
        return None


_clients: dict[tuple, object] = {}


def _wechat_client():
    """One client per process and configuration, so its HTTP connection pool is reused across sends."""
    key = (
        settings.WECHAT_APP_ID,
        settings.WECHAT_APP_SECRET,
        settings.WECHAT_API_BASE,
        settings.WECHAT_TIMEOUT_SECONDS,
        settings.LINLI_SANDBOX,
    )
    if key not in _clients:
        _clients.clear()
        _clients[key] = wechat.get_client()
    return _clients[key]


def _sender(channel: str):
    if channel == Delivery.Channel.WECHAT:
        client = _wechat_client()
        return _WeChatSender(client) if client else None
    backend = sms.get_backend()
    return _SmsSender(backend) if backend else None


def _update(delivery_id: int, **fields) -> None:
    Delivery.objects.filter(pk=delivery_id).update(updated_at=timezone.now(), **fields)


def _settle_quota(delivery: Delivery, error_code: str) -> None:
    """A failed WeChat send did not use the user's subscription, except that 43101 says they have none."""
    if delivery.channel != Delivery.Channel.WECHAT:
        return
    quotas = SubscriptionQuota.objects.filter(user_id=delivery.recipient_id, template_id=delivery.template_id)
    if error_code == "43101":
        quotas.update(remaining=0)
    elif delivery.quota_spent:
        quotas.update(remaining=F("remaining") + 1)
        _update(delivery.pk, quota_spent=False)


def _fail(delivery: Delivery, code: str, message: str, *, transient: bool, final_attempt: bool, claimed: bool) -> str:
    if transient and not final_attempt:
        if claimed:
            _update(delivery.pk, status=S.RETRYING, error_code=code, error_message=message)
        else:
            _update(delivery.pk, error_code=code, error_message=message)
        raise TransientDeliveryError(f"{delivery.channel} {code}: {message}")
    with transaction.atomic():
        _update(delivery.pk, status=S.FAILED, error_code=code, error_message=message)
        _settle_quota(delivery, code)
    NOTIFICATION_DELIVERIES.labels(delivery.channel, "failed").inc()
    logger.warning("delivery %s failed for good: %s %s", delivery.pk, code, message)
    return S.FAILED


def delivery_send(*, delivery_id: int, final_attempt: bool = False) -> str:
    """Send one delivery at most once. Returns its status; raises TransientDeliveryError to be retried."""
    delivery = Delivery.objects.filter(pk=delivery_id).first()
    if delivery is None or delivery.status not in CLAIMABLE:
        return delivery.status if delivery else "missing"
    sender = _sender(delivery.channel)
    if sender is None:
        _update(delivery.pk, status=S.SKIPPED, error_code="channel_unconfigured", error_message="渠道未配置")
        return S.SKIPPED
    try:
        sender.prepare()  # may block (access token): before the claim, so a lost worker leaves the row claimable
    except Exception as exc:
        classified = sender.classify(exc)
        if classified is None:
            raise
        code, message, _ = classified
        return _fail(delivery, code, message, transient=True, final_attempt=final_attempt, claimed=False)

    with transaction.atomic():
        claimed = Delivery.objects.filter(pk=delivery.pk, status__in=CLAIMABLE).update(
            status=S.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now(), updated_at=timezone.now()
        )
        if not claimed:
            return Delivery.objects.values_list("status", flat=True).get(pk=delivery.pk)
        # Spend once per delivery, whichever attempt comes first (the flag is flipped conditionally too).
        is_wechat = delivery.channel == Delivery.Channel.WECHAT
        if is_wechat and Delivery.objects.filter(pk=delivery.pk, quota_spent=False).update(quota_spent=True):
            spent = SubscriptionQuota.objects.filter(
                user_id=delivery.recipient_id, template_id=delivery.template_id, remaining__gt=0
            ).update(remaining=F("remaining") - 1, updated_at=timezone.now())
            if not spent:
                _update(
                    delivery.pk,
                    status=S.SKIPPED,
                    quota_spent=False,
                    error_code="no_quota",
                    error_message="订阅次数已用完，仅站内通知",
                )
                return S.SKIPPED
        delivery.quota_spent = is_wechat  # by this attempt or an earlier one

    try:
        ref = sender.send(delivery)
    except Exception as exc:
        classified = sender.classify(exc)
        if classified is None:
            # A bug of ours, not the provider's answer: fail visibly rather than retry blindly.
            _fail(delivery, "error", type(exc).__name__, transient=False, final_attempt=True, claimed=True)
            raise
        code, message, transient = classified
        return _fail(delivery, code, message, transient=transient, final_attempt=final_attempt, claimed=True)
    _update(delivery.pk, status=S.SENT, sent_at=timezone.now(), provider_ref=ref[:64], error_code="", error_message="")
    NOTIFICATION_DELIVERIES.labels(delivery.channel, "sent").inc()
    return S.SENT


@transaction.atomic
def delivery_retry(*, delivery: Delivery) -> Delivery:
    """Staff retry of a delivery that finally failed (admin action): back to pending and enqueued again."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status != S.FAILED:
        raise InvalidTransition(f"只有发送失败的推送可以重试（当前：{delivery.get_status_display()}）")
    delivery.status = S.PENDING
    delivery.error_code = delivery.error_message = ""
    delivery.save(update_fields=["status", "error_code", "error_message", "updated_at"])
    transaction.on_commit(partial(_enqueue_sends, [delivery.pk]), robust=True)
    return delivery


def deliveries_retry_failed(*, limit: int = 100) -> int:
    """Staff retry of the oldest `limit` failed deliveries at once (the operations page); each goes
    through `delivery_retry`, so one changed meanwhile is skipped. Returns how many were re-queued."""
    done = 0
    for delivery in Delivery.objects.filter(status=S.FAILED).order_by("updated_at", "id")[:limit]:
        try:
            delivery_retry(delivery=delivery)
        except InvalidTransition:
            continue
        done += 1
    return done


def deliveries_sweep() -> dict:
    """Beat: dispatch what never got dispatched, re-enqueue deliveries whose task was lost, fail stuck sends."""
    now = timezone.now()
    stale_dispatch = list(
        Notification.objects.filter(dispatch_pending=True, created_at__lt=now - DISPATCH_STALE_AFTER)
        .order_by("created_at")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    if stale_dispatch:
        enqueue_dispatch(stale_dispatch)
    stale_queued = list(
        Delivery.objects.filter(status__in=CLAIMABLE, updated_at__lt=now - QUEUED_STALE_AFTER)
        .order_by("updated_at")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    _enqueue_sends(stale_queued)
    stuck = Delivery.objects.filter(status=S.SENDING, claimed_at__lt=now - SENDING_STUCK_AFTER).update(
        status=S.FAILED,
        error_code="outcome_unknown",
        error_message="发送过程中断，结果未知；确认未收到后可手动重试",
        updated_at=now,
    )
    return {"dispatched": len(stale_dispatch), "requeued": len(stale_queued), "stuck": stuck}


def notifications_purge_read(*, older_than_days: int | None = None) -> int:
    """Beat: delete inbox messages read more than NOTIFICATION_READ_RETENTION_DAYS ago (in batches)."""
    days = older_than_days or getattr(settings, "NOTIFICATION_READ_RETENTION_DAYS", 180)
    cutoff = timezone.now() - timedelta(days=days)
    deleted = 0
    while True:
        batch = list(
            Notification.objects.filter(read_at__lt=cutoff, created_at__lt=cutoff).values_list("pk", flat=True)[:1000]
        )
        if not batch:
            return deleted
        deleted += Notification.objects.filter(pk__in=batch).delete()[1].get(Notification._meta.label, 0)


# --- the resident's side -------------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, user, notification_id: int) -> Notification:
    notification = Notification.objects.select_for_update().filter(pk=notification_id, recipient=user).first()
    if notification is None:
        raise NotFoundError("消息不存在")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())


class PreferenceError(DomainError):
    code = "validation_error"
    default_message = "请求参数有误"


@transaction.atomic
def preferences_update(*, user, muted: list[str]) -> None:
    """Replace the user's muted topics. Essential topics and unknown ones are refused."""
    all_topics = conf.topics()
    errors = []
    for key in muted:
        topic = all_topics.get(key)
        if topic is None or not topic.channels:
            errors.append(f"没有可关闭的通知类别「{key}」")
        elif topic.essential:
            errors.append(f"「{topic.label}」是必要通知，不能关闭")
    if errors:
        raise PreferenceError(fields={"muted": errors})
    wanted = set(muted)
    NotificationPreference.objects.filter(user=user).exclude(kind__in=wanted).delete()
    existing = set(NotificationPreference.objects.filter(user=user).values_list("kind", flat=True))
    NotificationPreference.objects.filter(user=user, kind__in=wanted).update(enabled=False)
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=user, kind=key, enabled=False) for key in sorted(wanted - existing)]
    )


@transaction.atomic
def subscriptions_accept(*, user, template_ids: list[str]) -> list[SubscriptionQuota]:
    """The user accepted these templates once (wx.requestSubscribeMessage): one more message each."""
    known = conf.known_template_ids()
    unknown = sorted(set(template_ids) - known)
    if unknown:
        raise PreferenceError(fields={"template_ids": [f"未知的订阅消息模板：{t}" for t in unknown]})
    accepted = sorted(set(template_ids))
    for template_id in accepted:
        SubscriptionQuota.objects.get_or_create(user=user, template_id=template_id)
    SubscriptionQuota.objects.filter(user=user, template_id__in=accepted).update(
        remaining=F("remaining") + 1, accepted_total=F("accepted_total") + 1, updated_at=timezone.now()
    )
    return list(SubscriptionQuota.objects.filter(user=user, template_id__in=accepted).order_by("template_id"))
