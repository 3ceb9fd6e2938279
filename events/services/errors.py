"""Errors of the events app, each with its envelope code."""

from linli.api.errors import ConflictError, DomainError, ForbiddenError, NotFoundError, field_error

from ..models import (
    CheckInScan,
)

# --- errors -----------------------------------------------------------------------------------


class EventFull(ConflictError):
    code = "event_full"
    default_message = "名额已满"


class AlreadyRegistered(ConflictError):
    code = "already_registered"
    default_message = "您已报名此活动"


class RegistrationClosed(ConflictError):
    code = "registration_closed"
    default_message = "当前不在报名时间内"


class NotEligible(ForbiddenError):
    code = "not_eligible"
    default_message = "不符合报名条件"


class CancellationClosed(ConflictError):
    code = "cancellation_closed"
    default_message = "已过取消报名截止时间"


class NotRegistered(NotFoundError):
    code = "not_registered"
    default_message = "您没有报名此活动"


class CapacityBelowTaken(ConflictError):
    code = "capacity_below_taken"
    default_message = "名额不能少于已报名人数"


class EventStarted(ConflictError):
    code = "event_started"
    default_message = "活动已开始，无法执行此操作"


class SlotTaken(ConflictError):
    code = "slot_taken"
    default_message = "该时段已被预约"


class OutsideOpeningHours(DomainError):
    code = "outside_opening_hours"
    default_message = "不在场地开放时间内"


class BookingNotAllowed(ForbiddenError):
    code = "booking_not_allowed"
    default_message = "您不能预约此场地"


class NotAttended(ForbiddenError):
    code = "not_attended"
    default_message = "签到参加活动后才能评价"


class FeedbackExists(ConflictError):
    code = "feedback_exists"
    default_message = "您已评价过此活动"


class NonceReused(ConflictError):
    code = "nonce_reused"
    default_message = "该请求标识已用于另一张签到码"


class EventNotOpenForCheckIn(ConflictError):
    code = "event_not_open_for_check_in"
    default_message = "活动未在进行中，不能签到"


class InvalidTicket(DomainError):
    code = "invalid_ticket"
    default_message = "无效的签到码"


class TicketForAnotherEvent(ConflictError):
    code = "ticket_for_another_event"
    default_message = "这是其他活动的签到码"


class RegistrationCancelled(ConflictError):
    code = "registration_cancelled"
    default_message = "该报名已取消，不能签到"


class RegistrationWaitlisted(ConflictError):
    code = "registration_waitlisted"
    default_message = "该报名仍在候补中，未获得名额"


class RegistrationNoShow(ConflictError):
    code = "registration_no_show"
    default_message = "该报名已记为未到场"


class NoSessionNow(ConflictError):
    code = "no_session_now"
    default_message = "当前不在活动场次签到时间内（开始前 1 小时至结束）"


class AlreadyCheckedOut(ConflictError):
    code = "already_checked_out"
    default_message = "已签退过"


class NotCheckedIn(ConflictError):
    code = "not_checked_in"
    default_message = "未签到，不能签退"


class CheckOutNotUsed(ConflictError):
    code = "check_out_not_used"
    default_message = "只有志愿服务活动需要签退"


class AttendanceStillOpen(ConflictError):
    code = "attendance_open"
    default_message = "尚未签退，请先签退或补签退"


class NotVolunteering(ConflictError):
    code = "not_volunteering"
    default_message = "只有志愿服务活动计入志愿时长"


# Check-in outcomes that are not a success, and the error each one answers with.
SCAN_ERRORS = {
    CheckInScan.Outcome.INVALID_TICKET: InvalidTicket,
    CheckInScan.Outcome.OTHER_EVENT: TicketForAnotherEvent,
    CheckInScan.Outcome.CANCELLED: RegistrationCancelled,
    CheckInScan.Outcome.WAITLISTED: RegistrationWaitlisted,
    CheckInScan.Outcome.NO_SHOW: RegistrationNoShow,
    CheckInScan.Outcome.NO_SESSION_NOW: NoSessionNow,
    CheckInScan.Outcome.NOT_CHECKED_IN: NotCheckedIn,
}

_invalid = field_error  # the services' name for linli.api.errors.field_error
