"""Payments are a ledger: on erasure the rows stay (pointing at the anonymised user); nothing in them is free text
about the person, so there is nothing to blank. Export lists them."""

from django.utils import timezone

from linli.payments.models import PaymentContract, PaymentIntent, SandboxInsuranceAccount


def _iso(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def export(user) -> dict:
    intents = PaymentIntent.objects.filter(payer=user).prefetch_related("parts", "refunds").order_by("created_at", "id")
    return {
        "payments": [
            {
                "out_trade_no": intent.out_trade_no,
                "description": intent.description,
                "amount_fen": intent.amount_fen,
                "points_fen": intent.points_fen,
                "insurance_fen": intent.insurance_fen,
                "settled_by_app_fen": intent.settled_by_app_fen,
                "method": intent.method,
                "status": intent.status,
                "created_at": _iso(intent.created_at),
                "paid_at": _iso(intent.paid_at),
                "parts": [
                    {"description": p.description, "amount_fen": p.amount_fen, "refunded_fen": p.refunded_fen}
                    for p in intent.parts.all()
                ],
                "refunds": [
                    {"amount_fen": r.amount_fen, "status": r.status, "reason": r.reason, "at": _iso(r.created_at)}
                    for r in intent.refunds.all()
                ],
            }
            for intent in intents
        ],
        "contracts": [
            {"provider": c.provider, "status": c.status, "signed_at": _iso(c.created_at)}
            for c in PaymentContract.objects.filter(user=user).order_by("created_at", "id")
        ],
        "sandbox_insurance_balance_fen": SandboxInsuranceAccount.objects.filter(user=user)
        .values_list("balance_fen", flat=True)
        .first(),
    }


def anonymise(user) -> None:
    # Payment records are kept for bookkeeping; the standing authorisation ends with the account.
    PaymentContract.objects.filter(user=user, status=PaymentContract.Status.ACTIVE).update(
        status=PaymentContract.Status.TERMINATED, terminated_at=timezone.now()
    )
