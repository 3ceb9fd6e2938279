"""`python -m bench.seats EVENT_ID …`: the burst events' seats as JSON, read after the burst.

{event id: {"capacity", "waitlist", "confirmed_seats", "confirmed", "waitlisted"}}; bench/run.py
checks each event sold exactly its seats. Run with the bench's settings and DATABASE_URL.
"""

import json
import sys

import django


def main(ids: list[int]) -> None:
    django.setup()
    from django.db.models import Count, Q, Sum

    from events.models import Event, Registration

    confirmed = Q(registrations__status=Registration.Status.CONFIRMED)
    rows = Event.objects.filter(pk__in=ids).annotate(
        confirmed_seats=Sum("registrations__attendees", filter=confirmed),
        confirmed=Count("registrations", filter=confirmed),
        waitlisted=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)),
    )
    print(
        json.dumps(
            {
                e.pk: {
                    "capacity": e.capacity,
                    "waitlist": e.waitlist_enabled,
                    "confirmed_seats": e.confirmed_seats or 0,
                    "confirmed": e.confirmed,
                    "waitlisted": e.waitlisted,
                }
                for e in rows
            }
        )
    )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]])
