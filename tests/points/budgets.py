from linli.points.services import award


def give_points(user):
    award(user=user, amount=20, reason="参加插花活动", idempotency_key=f"privacy-test-{user.pk}")
    return []  # the ledger stays, pointing at the anonymised account


PRIVACY_DATA = {"points": give_points}
EXPORT_QUERIES = {"points": 2}  # account, entries
