"""Real concurrency on PostgreSQL: refunds of one part never exceed it, and one idempotency key makes one intent."""

import pytest

from linli.payments import services, signals
from linli.payments.models import PaymentIntent, PaymentPart, Refund
from linli.payments.services import PartSpec
from tests import factories
from tests.support.race import errors, race, race_n

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
BY_APP = PaymentPart.Settlement.SETTLED_BY_APP


def paid_bills(payer):
    intent = services.payment_intent_create_with_parts(
        payer=payer,
        purpose="tests.bills",
        parts=[
            PartSpec("subsidy", "养老服务补贴", 1000, BY_APP),
            PartSpec("bill-1", "物业费 2026-10", 1000),
            PartSpec("bill-2", "物业费 2026-11", 1000),
        ],
    )
    services.payment_sandbox_complete(intent=intent)
    return intent


@pytest.fixture
def credited():
    """The app's ledger: what refund_succeeded told it to credit back, per part."""
    heard = []

    def receiver(sender, intent, refund, part, **kwargs):
        heard.append((part.reference, refund.amount_fen))

    signals.refund_succeeded.connect(receiver, weak=False)
    yield heard
    signals.refund_succeeded.disconnect(receiver)


@pytest.mark.parametrize("reference", ["bill-1", "subsidy"])
def test_concurrent_refunds_of_one_part_never_exceed_it(reference, credited):
    intent = paid_bills(factories.make_resident())
    target = intent.parts.get(reference=reference)

    results = race_n(6, lambda i: services.refund_create(intent=intent, part=target, amount_fen=400, reason=f"退{i}"))

    refused = errors(results)
    assert len(refused) == 4 and all(isinstance(e, services.RefundExceedsPaid) for e in refused)
    target.refresh_from_db()
    assert target.refunded_fen == 800
    assert Refund.objects.filter(part=target, status="succeeded").count() == 2
    assert credited == [(reference, 400), (reference, 400)]


def test_concurrent_refunds_of_different_parts_all_go_through(credited):
    intent = paid_bills(factories.make_resident())
    parts = list(intent.parts.order_by("id"))

    results = race(
        [lambda p=p: services.refund_create(intent=intent, part=p, amount_fen=1000, reason="退") for p in parts]
    )

    assert errors(results) == []
    intent.refresh_from_db()
    assert intent.refunded_fen == 3000
    assert sorted(credited) == [("bill-1", 1000), ("bill-2", 1000), ("subsidy", 1000)]


def test_concurrent_creates_with_one_idempotency_key_make_one_intent():
    payer = factories.make_resident()

    def create(_):
        return services.payment_intent_create_with_parts(
            payer=payer,
            purpose="tests.care",
            parts=[PartSpec("order-1", "助浴服务", 5000)],
            idempotency_key="care-order:1",
        )

    results = race_n(4, create)

    assert errors(results) == []
    assert len({intent.pk for intent in results}) == 1
    assert sorted(intent.replayed for intent in results) == [False, True, True, True]
    assert PaymentIntent.objects.count() == 1 and PaymentPart.objects.count() == 1
