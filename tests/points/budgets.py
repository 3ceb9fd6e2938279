"""Quality-gate registrations for the points endpoint (see tests/quality/registry.py)."""

import itertools

from linli.points.services import award

_seq = itertools.count(1)


def entries(persona, n):
    for _ in range(n):
        award(user=persona.user, amount=5, reason="签到", idempotency_key=f"budget:{next(_seq)}")


LIST_DATA = {"/api/v1/points/": ("resident", entries)}


def give_points(user):
    award(user=user, amount=30, reason="志愿服务", idempotency_key=f"privacy:{user.pk}")
    return []  # the ledger stays (pointing at the anonymised account); it names no one


PRIVACY_DATA = {"points": give_points}
EXPORT_QUERIES = {"points": 2}  # the account's balance, its entries
