"""Quality-gate registrations for the payments endpoints (see tests/quality/registry.py)."""

from linli.payments import services
from linli.payments.models import PaymentContract, PaymentPart


def make_intents(persona, n):
    """Every other one has parts (a subsidy and the rest), refunded per part."""
    for index in range(n):
        if index % 2:
            intent = services.payment_intent_create_with_parts(
                payer=persona.user,
                purpose="tests.budget",
                parts=[
                    services.PartSpec("subsidy", "补贴", 300, PaymentPart.Settlement.SETTLED_BY_APP),
                    services.PartSpec("rest", "自付", 900),
                ],
            )
            services.payment_sandbox_complete(intent=intent)
            services.refund_create(intent=intent, part=intent.parts.get(reference="rest"), amount_fen=100, reason="退")
            continue
        intent = services.payment_intent_create(
            payer=persona.user, amount_fen=1200, purpose="tests.budget", reference="1", description="预算测试"
        )
        services.payment_sandbox_complete(intent=intent)
        services.refund_create(intent=intent, amount_fen=100, reason="部分退款")


def my_intent(persona):
    make_intents(persona, 1)
    return {"id": persona.user.payment_intents.latest("id").pk}


def make_contracts(persona, n):
    for index in range(n):
        PaymentContract.objects.create(
            user=persona.user, provider="sandbox", status="terminated", contract_id=f"c-{persona.user.pk}-{index}-{n}"
        )


def give_payments(user):
    make_intents(type("P", (), {"user": user})(), 1)
    services.contract_sign_sandbox(user=user)
    return []  # a ledger: kept after deletion, pointing at the anonymised account


LIST_DATA = {
    "/api/v1/payments/": ("resident", make_intents),
    "/api/v1/payments/contracts/": ("resident", make_contracts),
}

DETAIL_BUDGETS = {
    # 1 token user, 1 the intent, 1 its parts, 1 its refunds
    "/api/v1/payments/{id}/": ("resident", my_intent, 4),
}

PRIVACY_DATA = {"payments": give_payments}
EXPORT_QUERIES = {"payments": 5}  # intents, their parts, their refunds, contracts, the sandbox insurance account
