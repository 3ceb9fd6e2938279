"""Medical-insurance mixed orders in the sandbox: balance check, deduction, refunds per part."""

import pytest

from linli.payments import services
from linli.payments.models import PaymentIntent, SandboxInsuranceAccount
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def payer(db):
    user = factories.make_resident()
    SandboxInsuranceAccount.objects.create(user=user, balance_fen=5000)
    return user


def mixed(payer, *, amount_fen=3150, insurance_fen=2500):
    return services.payment_intent_create(
        payer=payer,
        amount_fen=amount_fen,
        insurance_fen=insurance_fen,
        method="insurance_account",
        purpose="tests.rx",
        reference="1",
        description="处方取药",
    )


def balance(user):
    return SandboxInsuranceAccount.objects.get(user=user).balance_fen


def test_it_takes_the_insurance_part_from_the_personal_account_at_once(payer, heard):
    intent = mixed(payer)
    assert (intent.provider, intent.method, intent.cash_fen) == ("med_ins_sandbox", "insurance_account", 650)
    assert intent.status == "created"
    assert balance(payer) == 2500
    assert heard == []


def test_an_insurance_only_order_is_paid_at_once(payer, heard):
    intent = mixed(payer, amount_fen=2500, insurance_fen=2500)
    assert intent.status == "succeeded"
    assert heard == [("payment_succeeded", intent.pk, None)]


def test_a_balance_too_low_is_a_conflict_and_takes_nothing(payer):
    with pytest.raises(services.InsuranceBalanceInsufficient) as caught:
        mixed(payer, amount_fen=6000, insurance_fen=6000)
    assert caught.value.code == "insurance_balance_insufficient" and caught.value.status_code == 409
    assert balance(payer) == 5000


def test_a_resident_without_an_account_has_no_balance(db):
    with pytest.raises(services.InsuranceBalanceInsufficient):
        mixed(factories.make_resident())


def test_closing_an_unpaid_mixed_order_gives_the_insurance_part_back(payer, heard):
    intent = mixed(payer)
    services.payment_intent_close(intent=intent, reason="expired")
    assert balance(payer) == 5000
    assert heard == [("payment_closed", intent.pk, "expired")]
    services.payment_intent_close(intent=intent, reason="expired")
    assert balance(payer) == 5000


def test_a_refund_gives_back_cash_first_then_the_insurance_part_never_more_than_each_paid(payer):
    intent = mixed(payer)
    services.payment_sandbox_complete(intent=intent)

    first = services.refund_create(intent=intent, amount_fen=1000, reason="部分退款")
    assert (first.cash_fen, first.insurance_fen, first.points_fen) == (650, 350, 0)
    assert balance(payer) == 2500 + 350
    second = services.refund_create(intent=intent, amount_fen=2150, reason="余下退款")
    assert (second.cash_fen, second.insurance_fen) == (0, 2150)
    assert balance(payer) == 5000

    with pytest.raises(services.RefundExceedsPaid):
        services.refund_create(intent=intent, amount_fen=1, reason="多退")
    intent.refresh_from_db()
    assert intent.refunded_fen == intent.amount_fen == 3150


def test_an_insurance_part_needs_the_insurance_method(payer):
    from linli.api.errors import DomainError

    with pytest.raises(DomainError):
        services.payment_intent_create(
            payer=payer, amount_fen=100, insurance_fen=50, purpose="tests.rx", reference="1", description="x"
        )
    assert not PaymentIntent.objects.exists()
