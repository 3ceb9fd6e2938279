"""The residents' event list in the shared cache (linli/lib/cache.py): its public cards, and the writes
that change them.

Open events show in the lists of every community's residents, so a change to any event changes
lists everywhere: the cards have one scope (`ALL`), and the viewer's community ids are part of the
key instead (they decide which residents-only events the list holds).
"""

from linli.lib import cache
from linli.regions.models import Community

from .models import Event, Registration, Venue

EVENT_CARDS = "event_cards"


def invalidate_cards_on_write() -> None:
    """From EventsConfig.ready(): every write that changes a card — an event's fields, status (publish,
    cancel, finish) or communities; a registration made, cancelled, promoted or checked in (seats
    taken, waitlist); a venue's or a community's name — bumps the cards' version after its commit,
    whether a service, the admin or a task made it."""
    cache.invalidate_on_write(Event, EVENT_CARDS, m2m=[Event.communities.through])
    for model in (Registration, Venue, Community):
        cache.invalidate_on_write(model, EVENT_CARDS)


def bump_cards() -> None:
    """For the rare write that bypasses the model's signals (a queryset `update()`)."""
    cache.bump(EVENT_CARDS)
