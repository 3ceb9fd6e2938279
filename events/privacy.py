"""PIPL: what the events app holds about a person, and how it forgets them.

Registrations stay on erasure (attendance counts, seats and points refer to them; they then point at
the anonymised user), except that upcoming ones are cancelled so their seats go to the waitlist. The
person's own words go: feedback comments and booking purposes are blanked.
Staff-side pointers (who created an event, who scanned a ticket) are the console's audit trail and stay.
Attendance per session (volunteer hours, course attendance) and course completions stay too: they
are what the points were earned for, and point at the anonymised user.
"""

from contextlib import suppress

from django.utils import timezone

from .models import CourseCompletion, Feedback, Registration, SessionAttendance, VenueBooking


def _iso(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def export(user) -> dict:
    registrations = Registration.objects.filter(user=user).select_related("event", "feedback").order_by("created_at")
    return {
        "registrations": [
            {
                "event": r.event.title,
                "starts_at": _iso(r.event.starts_at),
                "attendees": r.attendees,
                "status": r.status,
                "registered_at": _iso(r.created_at),
                "checked_in_at": _iso(r.checked_in_at),
                "feedback": {"rating": r.feedback.rating, "comment": r.feedback.comment}
                if hasattr(r, "feedback")
                else None,
            }
            for r in registrations
        ],
        "venue_bookings": [
            {
                "venue": b.venue.name,
                "starts_at": _iso(b.starts_at),
                "ends_at": _iso(b.ends_at),
                "purpose": b.purpose,
                "status": b.status,
            }
            for b in VenueBooking.objects.filter(booked_by=user, session__isnull=True)
            .select_related("venue")
            .order_by("starts_at")
        ],
        "session_attendance": [
            {
                "event": a.event.title,
                "session": a.session.index,
                "checked_in_at": _iso(a.checked_in_at),
                "checked_out_at": _iso(a.checked_out_at),
                "volunteer_hours": str(a.hours),
            }
            for a in SessionAttendance.objects.filter(user=user).select_related("event", "session").order_by("id")
        ],
        "course_completions": [
            {"course": c.event.title, "rate": c.rate, "completed_at": _iso(c.completed_at)}
            for c in CourseCompletion.objects.filter(user=user).select_related("event").order_by("id")
        ],
    }


def anonymise(user) -> None:
    # A deleted account will not come: its seats in upcoming events go to the waitlist.
    from linli.api.errors import DomainError

    from .services import registration_cancel

    upcoming = Registration.objects.filter(
        user=user,
        status__in=(Registration.Status.CONFIRMED, Registration.Status.WAITLISTED),
        event__starts_at__gt=timezone.now(),
    )
    for registration in upcoming:
        # Past the cancellation deadline the seat stays booked, like any late cancellation.
        with suppress(DomainError):
            registration_cancel(registration=registration, actor=None, note="账号注销")
    Feedback.objects.filter(registration__user=user).update(comment="")
    bookings = VenueBooking.objects.filter(booked_by=user, session__isnull=True)
    bookings.filter(status=VenueBooking.Status.ACTIVE, starts_at__gt=timezone.now()).update(
        status=VenueBooking.Status.CANCELLED, cancelled_at=timezone.now()
    )
    bookings.update(purpose="（已注销用户）", booked_by=None)
