"""The residents' announcements in the shared cache (linli/lib/cache.py): the public cards, not who read them.

Residents of the same communities see the same announcements: a page of cards is built once per
their set of communities, filters and page; whether *I* read each one is added per request from my
own rows. Any save or delete of an announcement, or a community renamed, bumps the cards' version
after its commit (one scope for all: an announcement moved to another community leaves both lists).
An entry also ends when the published set changes with the clock: the next announcement's
`publish_at`, or the first listed one's `expires_at`.
"""

from linli.lib import cache
from linli.regions.models import Community

from .models import Announcement

ANNOUNCEMENT_CARDS = "announcement_cards"
SCOPES = (cache.ALL,)


def _everywhere(instance):
    return SCOPES


def invalidate_cards_on_write() -> None:
    """From ResidentsConfig.ready()."""
    for model in (Announcement, Community):
        cache.invalidate_on_write(model, ANNOUNCEMENT_CARDS, _everywhere)
