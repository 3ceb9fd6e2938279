"""What residents read in the shared cache (linli/lib/cache.py): the work-order categories, and the
announcements' public cards (not who read them).

The categories are the same for everyone: any save or delete of one replaces the list.

Residents of the same communities see the same announcements: a page of cards is built once per
their set of communities, filters and page; whether *I* read each one is added per request from my
own rows. Any save or delete of an announcement, or a community renamed, bumps the cards' version
after its commit (one scope for all: an announcement moved to another community leaves both lists).
An entry also ends when the published set changes with the clock: the next announcement's
`publish_at`, or the first listed one's `expires_at`.
"""

from linli.lib import cache
from linli.regions.models import Community

from .models import Announcement, WorkOrderCategory

ANNOUNCEMENT_CARDS = "announcement_cards"
CATEGORY_LIST = "work_order_categories"


def invalidate_cards_on_write() -> None:
    """From ResidentsConfig.ready()."""
    for model in (Announcement, Community):
        cache.invalidate_on_write(model, ANNOUNCEMENT_CARDS)
    cache.invalidate_on_write(WorkOrderCategory, CATEGORY_LIST)
