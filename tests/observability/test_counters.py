"""Counters fed where the events happen: payments (through the payments signals), Celery task outcomes
(through Celery's signals), notification deliveries. Counters only grow: each test asserts deltas."""

import pytest

from linli.celery import app
from linli.observability.metrics import REGISTRY
from linli.payments import services as payments

pytestmark = pytest.mark.django_db


def value(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def pay(payer, result: str):
    intent = payments.payment_intent_create(
        payer=payer, amount_fen=2000, purpose="tests.thing", reference="1", description="测试商品"
    )
    return payments.payment_sandbox_complete(intent=intent, succeed=result == "success")


@pytest.mark.parametrize("result, outcome", [("success", "succeeded"), ("fail", "failed")])
def test_payments_are_counted_by_outcome_when_they_commit(
    resident, result, outcome, django_capture_on_commit_callbacks
):
    name, labels = "linli_payments_total", {"outcome": outcome, "method": "wechat_pay"}
    before = value(name, **labels)
    with django_capture_on_commit_callbacks(execute=True):
        pay(resident, result)
    assert value(name, **labels) == before + 1


def test_a_payment_whose_transaction_rolls_back_is_not_counted(resident, django_capture_on_commit_callbacks):
    from django.db import transaction

    name, labels = "linli_payments_total", {"outcome": "succeeded", "method": "wechat_pay"}
    before = value(name, **labels)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        pay(resident, "success")
        raise RuntimeError("the owner's reaction failed")
    assert value(name, **labels) == before


@app.task(name="tests.observability.explode")
def explode():
    raise ValueError("boom")


@app.task(bind=True, name="tests.observability.retry_once", max_retries=1)
def retry_once(self):
    if self.request.retries == 0:
        raise self.retry(countdown=0)
    return "second attempt"


def test_task_failures_and_retries_are_counted_per_task():
    failed = value("linli_celery_tasks_total", task="tests.observability.explode", outcome="failed")
    retried = value("linli_celery_tasks_total", task="tests.observability.retry_once", outcome="retried")
    # As in a worker: an eager task that propagates its error raises before Celery's failure signals.
    assert explode.apply(throw=False).failed()
    retry_once.apply(throw=False)  # eagerly, the retry runs at once (and succeeds)
    assert value("linli_celery_tasks_total", task="tests.observability.explode", outcome="failed") == failed + 1
    assert value("linli_celery_tasks_total", task="tests.observability.retry_once", outcome="retried") == retried + 1


class RefusingSms:
    """An SMS provider that refuses every number for good (a permanent error: no retry)."""

    def send(self, *, phone, template, params):
        from linli.notifications.sms import SmsError

        raise SmsError("isv.MOBILE_NUMBER_ILLEGAL", "号码格式错误", transient=False)


@pytest.mark.parametrize(
    "backend, outcome", [("console", "sent"), ("tests.observability.test_counters.RefusingSms", "failed")]
)
def test_notification_deliveries_are_counted_sent_or_failed(
    settings, backend, outcome, django_capture_on_commit_callbacks
):
    from linli.notifications.services import notify
    from tests import factories

    settings.SMS_BACKEND = backend
    name, labels = "linli_notification_deliveries_total", {"channel": "sms", "outcome": outcome}
    before = value(name, **labels)
    with django_capture_on_commit_callbacks(execute=True):
        notify(factories.make_resident(phone="13800001111"), "devices", "设备离线", "碾米机离线", channels=["sms"])
    assert value(name, **labels) == before + 1
