"""Every write of the events app.

Locking order (never the other way round, so two services cannot deadlock):
    Event row → its Registration rows → Venue row.
* Seats: registering, cancelling and changing capacity lock the event row and count the seats held
  inside that transaction, so capacity is exact under concurrency (the unique constraint
  `registration_one_active_per_user` stops a double click).
* Venue slots: every booking (a resident's or an event session's) locks the venue row, checks for an
  overlap, then writes; on PostgreSQL the exclusion constraint of migration 0002 is the backstop.

The writes live in modules by subject (errors, registrations, venues, lifecycle); callers import
them from here: `from events import services`.
"""

from .errors import (
    SCAN_ERRORS,
    AlreadyRegistered,
    BookingNotAllowed,
    CancellationClosed,
    CapacityBelowTaken,
    EventFull,
    EventNotOpenForCheckIn,
    EventStarted,
    FeedbackExists,
    InvalidTicket,
    NonceReused,
    NotAttended,
    NotEligible,
    NotRegistered,
    OutsideOpeningHours,
    RegistrationCancelled,
    RegistrationClosed,
    RegistrationNoShow,
    RegistrationWaitlisted,
    SlotTaken,
    TicketForAnotherEvent,
)
from .lifecycle import (
    EDITABLE_FIELDS,
    MAX_AGE,
    MAX_SESSIONS,
    REMINDERS,
    SCHEDULE_FIELDS,
    event_cancel,
    event_create,
    event_finish,
    event_publish,
    event_update,
    events_finish_ended,
    session_send_reminder,
    sessions_send_due_reminders,
)
from .registrations import (
    CheckInResult,
    Ineligibility,
    eligibility_problem,
    feedback_create,
    is_verified_resident,
    registration_cancel,
    registration_check_in,
    registration_create,
    seats_taken,
)
from .venues import (
    day_bounds,
    may_book,
    opening_intervals,
    venue_booking_cancel,
    venue_booking_create,
)

__all__ = [
    "EDITABLE_FIELDS",
    "MAX_AGE",
    "MAX_SESSIONS",
    "REMINDERS",
    "SCAN_ERRORS",
    "SCHEDULE_FIELDS",
    "AlreadyRegistered",
    "BookingNotAllowed",
    "CancellationClosed",
    "CapacityBelowTaken",
    "CheckInResult",
    "EventFull",
    "EventNotOpenForCheckIn",
    "EventStarted",
    "FeedbackExists",
    "Ineligibility",
    "InvalidTicket",
    "NonceReused",
    "NotAttended",
    "NotEligible",
    "NotRegistered",
    "OutsideOpeningHours",
    "RegistrationCancelled",
    "RegistrationClosed",
    "RegistrationNoShow",
    "RegistrationWaitlisted",
    "SlotTaken",
    "TicketForAnotherEvent",
    "day_bounds",
    "eligibility_problem",
    "event_cancel",
    "event_create",
    "event_finish",
    "event_publish",
    "event_update",
    "events_finish_ended",
    "feedback_create",
    "is_verified_resident",
    "may_book",
    "opening_intervals",
    "registration_cancel",
    "registration_check_in",
    "registration_create",
    "seats_taken",
    "session_send_reminder",
    "sessions_send_due_reminders",
    "venue_booking_cancel",
    "venue_booking_create",
]
