import pytest

from linli.payments import signals
from tests.support.payscore import payscore, stub  # noqa: F401 (fixtures)
from tests.support.wechat_pay import keys, payer  # noqa: F401 (fixtures)


@pytest.fixture
def heard():
    """Every payments signal sent during the test, as (signal name, intent pk, extra) tuples."""
    log = []
    receivers = {}
    for name in ("payment_succeeded", "payment_failed", "payment_closed", "refund_succeeded", "refund_failed"):

        def receiver(sender, intent, _name=name, **kwargs):
            log.append((_name, intent.pk, kwargs.get("reason") or getattr(kwargs.get("refund"), "amount_fen", None)))

        receivers[name] = receiver
        getattr(signals, name).connect(receiver, weak=False)
    yield log
    for name, receiver in receivers.items():
        getattr(signals, name).disconnect(receiver)
