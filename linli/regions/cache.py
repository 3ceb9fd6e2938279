"""The public communities list in the shared cache (linli/lib/cache.py).

The mini-program opens with it, before login, and everyone sees the same pages: a page is built
once per filters and page, and any write to a community or a street (its name, district, code…),
from a service or the admin, gives the list a new version after its commit. A data migration's
writes (its historical models send no signals to these receivers) show within the entries' timeout.
"""

from linli.lib import cache

from .models import Community, Street

COMMUNITY_LIST = "community_list"


def invalidate_list_on_write() -> None:
    """From RegionsConfig.ready()."""
    for model in (Community, Street):
        cache.invalidate_on_write(model, COMMUNITY_LIST)


def bump_list() -> None:
    """For the rare write that bypasses the models' signals (a queryset `update()`)."""
    cache.bump(COMMUNITY_LIST)
