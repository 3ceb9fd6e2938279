"""Reading and enforcing the fair-use limits (使用限额), inside the write that the limit guards:

    @transaction.atomic
    def appointment_book(*, resident, slot):
        limits.lock_person(resident)      # the person's concurrent writes queue here…
        held = …count what they hold now…  # …so this count cannot go stale before the insert
        limits.check(limits.Key.UPCOMING_APPOINTMENTS, count=held)
        …insert…

The values live in the cache under one key for all limits. A saved or deleted FairUseLimit drops
that key (now and again after its transaction commits), and it expires after CACHE_SECONDS anyway,
so a check costs no query when cached and one when not.
"""

from django.core.cache import cache
from django.db import transaction

from linli.accounts.models import User
from linli.api.errors import ConflictError
from linli.limits.models import RULES, FairUseLimit, Key
from linli.observability.metrics import cache_lookup

__all__ = ["CACHE_KEY", "Key", "LimitReached", "check", "forget_cached", "lock_person", "value"]

CACHE_KEY = "limits:fair-use:v1"
CACHE_SECONDS = 300


class LimitReached(ConflictError):
    code = "limit_reached"
    default_message = "已达到使用限额"


def _values() -> dict[str, int]:
    values = cache.get(CACHE_KEY)
    cache_lookup("fair_use_limits", hit=values is not None)
    if values is None:
        values = dict(FairUseLimit.objects.values_list("key", "value"))
        cache.set(CACHE_KEY, values, CACHE_SECONDS)
    return values


def value(key: str) -> int:
    """The current value of limit `key`: the console's row, else the default in RULES."""
    return _values().get(key, RULES[key].default)


def check(key: str, *, count: int) -> None:
    """Refuse (409 limit_reached) one more when the person already holds `count`."""
    limit = value(key)
    if count >= limit:
        raise LimitReached(RULES[key].message.format(limit=limit), extra={"limit": limit})


def lock_person(user: User) -> None:
    """Lock the user's row until the transaction ends: one person's limited writes run one at a time."""
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))


def forget_cached(**_signal) -> None:
    """post_save / post_delete of FairUseLimit. After the commit as well: a request that read the old
    row before the commit may have cached it meanwhile."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def create_missing_rows(*, using="default", apps=None, **_signal) -> None:
    """After every migrate: a row for each limit that has none, at its default, so the console lists
    every limit ready to edit (a limit added to RULES later gets its row too). Never changes a row."""
    if apps is None:  # a flush sends no migration state; the tables are the current models'
        from django.apps import apps
    try:
        model = apps.get_model("limits", "FairUseLimit")
    except LookupError:  # migrating only other apps, this one not yet
        return
    existing = set(model.objects.using(using).values_list("key", flat=True))
    model.objects.using(using).bulk_create(
        [model(key=key, value=rule.default) for key, rule in RULES.items() if key not in existing]
    )
