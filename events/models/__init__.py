"""Community activities (社区活动), 幸福学堂 classes, venues and their bookings.

* An `Event` belongs to the community that runs it (its staff manage it) and is open to the residents of
  one or more `communities`. It has one `EventSession` per meeting: one for a single activity, N for a
  weekly course, which residents join once (one `Registration` for the whole course).
* Seats: a registration holds `attendees` seats (the resident plus family members) while it is confirmed,
  attended or a no-show. Waitlisted registrations are promoted in order when seats free up; every round
  of promotion is a `SeatRelease` with one `WaitlistDecision` per registration promoted or skipped, so a
  resident can see why they were (not) promoted.
* Venues have opening hours; a `VenueBooking` holds a time slot. Active bookings of one venue never
  overlap: the booking services lock the venue row, and on PostgreSQL an exclusion constraint (migration
  0002) backs it. Every session of an event holds a booking of its venue.
"""

from django.conf import settings
from django.core.signing import BadSignature, Signer
from django.db import models
from django.db.models import F, Q

from linli.lib.models import TimestampedModel
from linli.regions.models import Community
from linli.workflow import Workflow
from linli.workflow.models import StatusChange

TICKET_SALT = "linli.events.ticket"


class Venue(TimestampedModel):
    """A room residents and events can use: 邻礼中心多功能厅, 幸福学堂, 居家养老服务中心活动室…"""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="venues", verbose_name="社区")
    name = models.CharField("名称", max_length=60)
    location = models.CharField("位置", max_length=100, blank=True, help_text="如 邻礼中心 2楼")
    capacity = models.PositiveIntegerField("容纳人数")
    description = models.TextField("简介", blank=True)
    residents_may_book = models.BooleanField("居民可预约", default=True)
    max_booking_minutes = models.PositiveIntegerField("单次预约最长（分钟）", default=240)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "场地"
        verbose_name_plural = "场地"
        ordering = ["community_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="venue_unique_name_in_community"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="venue_capacity_positive"),
        ]

    def __str__(self):
        return f"{self.name}（{self.location}）" if self.location else self.name


class VenueOpeningHours(models.Model):
    """One opening interval on a weekday (a venue may open twice a day: morning and afternoon)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "周一"
        TUESDAY = 1, "周二"
        WEDNESDAY = 2, "周三"
        THURSDAY = 3, "周四"
        FRIDAY = 4, "周五"
        SATURDAY = 5, "周六"
        SUNDAY = 6, "周日"

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="opening_hours", verbose_name="场地")
    weekday = models.PositiveSmallIntegerField("星期", choices=Weekday.choices)
    opens_at = models.TimeField("开放时间")
    closes_at = models.TimeField("关闭时间")

    class Meta:
        verbose_name = "开放时间"
        verbose_name_plural = "开放时间"
        ordering = ["venue_id", "weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(opens_at__lt=F("closes_at")), name="openinghours_opens_before_closes"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="openinghours_weekday_range"),
            models.UniqueConstraint(fields=["venue", "weekday", "opens_at"], name="openinghours_unique_interval"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


class Event(TimestampedModel):
    class Category(models.TextChoices):
        CULTURE = "culture", "文化活动"
        GROUP = "group", "团体活动"
        CLASS = "class", "幸福学堂课程"
        VOLUNTEER = "volunteer", "志愿服务"
        HEALTH_TALK = "health_talk", "健康讲座"
        PARTY_BUILDING = "party_building", "党建活动"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"
        CANCELLED = "cancelled", "已取消"
        FINISHED = "finished", "已结束"

    class Action(models.TextChoices):
        CREATE = "create", "创建"
        PUBLISH = "publish", "发布"
        CANCEL = "cancel", "取消"
        FINISH = "finish", "结束"

    # Every change of `status` goes through `linli.workflow.transition` (history: EventHistory).
    workflow = Workflow(
        actions=Action,
        transitions={
            Action.PUBLISH: ({Status.DRAFT}, Status.PUBLISHED),
            Action.CANCEL: ({Status.DRAFT, Status.PUBLISHED}, Status.CANCELLED),
            Action.FINISH: ({Status.PUBLISHED}, Status.FINISHED),
        },
        history="events.EventHistory",
    )

    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="organised_events",
        verbose_name="主办社区",
        help_text="其社区工作人员管理此活动",
    )
    communities = models.ManyToManyField(
        Community, related_name="audience_events", verbose_name="面向社区", help_text="含主办社区"
    )
    title = models.CharField("标题", max_length=100)
    description = models.TextField("介绍", blank=True)
    category = models.CharField("类别", max_length=20, choices=Category.choices, default=Category.CULTURE)
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="events", verbose_name="场地"
    )
    location = models.CharField("地点说明", max_length=100, blank=True, help_text="无场地时（如户外）填写")
    starts_at = models.DateTimeField("开始时间", db_index=True, help_text="课程为第一节课的开始时间")
    ends_at = models.DateTimeField("结束时间", help_text="课程为第一节课的结束时间")
    sessions_count = models.PositiveSmallIntegerField("课时数", default=1, help_text="每周一次，共几次")
    final_ends_at = models.DateTimeField("全部结束时间", db_index=True, help_text="最后一次活动的结束时间")
    registration_opens_at = models.DateTimeField("报名开始", null=True, blank=True, help_text="空：发布即开放")
    registration_closes_at = models.DateTimeField("报名截止", null=True, blank=True, help_text="空：开始前均可报名")
    cancellation_deadline = models.DateTimeField("取消报名截止", null=True, blank=True, help_text="空：开始前均可取消")
    capacity = models.PositiveIntegerField("名额（人）")
    waitlist_enabled = models.BooleanField("允许候补", default=True)
    max_attendees_per_registration = models.PositiveSmallIntegerField(
        "每份报名最多人数", default=1, help_text="含本人，可带家人"
    )
    residents_only = models.BooleanField("仅限认证居民", default=False)
    age_min = models.PositiveSmallIntegerField("最小年龄", null=True, blank=True)
    age_max = models.PositiveSmallIntegerField("最大年龄", null=True, blank=True)
    points_reward = models.PositiveIntegerField("参加奖励积分", default=0)
    # 志愿服务: the hours a volunteer may be credited per session (empty: the session's length).
    planned_hours = models.DecimalField(
        "每次服务时长（小时）",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="志愿活动每次最多计入的时长；空表示按每次活动时长",
    )
    # 幸福学堂 courses: completion and per-session points.
    completion_threshold = models.PositiveSmallIntegerField(
        "结业出勤率（%）", default=80, db_default=80, help_text="课程结束时出勤率达到此比例即结业"
    )
    award_per_session = models.BooleanField(
        "每次课签到得积分", default=False, db_default=False, help_text="按积分规则「上课签到」每次课发放"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)
    finished_at = models.DateTimeField("结束处理时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="创建人",
    )

    class Meta:
        verbose_name = "活动"
        verbose_name_plural = "活动"
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="event_starts_before_ends"),
            models.CheckConstraint(condition=Q(ends_at__lte=F("final_ends_at")), name="event_final_end_after_end"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="event_capacity_positive"),
            models.CheckConstraint(condition=Q(sessions_count__gte=1), name="event_has_sessions"),
            models.CheckConstraint(condition=Q(max_attendees_per_registration__gte=1), name="event_attendees_min_1"),
            models.CheckConstraint(
                condition=Q(completion_threshold__gte=1, completion_threshold__lte=100),
                name="event_completion_threshold_percent",
            ),
            models.CheckConstraint(
                condition=Q(planned_hours__isnull=True) | Q(planned_hours__gt=0), name="event_planned_hours_positive"
            ),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True) | Q(age_max__isnull=True) | Q(age_min__lte=F("age_max")),
                name="event_age_range_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_volunteering(self) -> bool:
        return self.category == self.Category.VOLUNTEER

    @property
    def is_course(self) -> bool:
        return self.category == self.Category.CLASS and self.sessions_count > 1

    @property
    def tracks_sessions(self) -> bool:
        """Attendance is kept per session (SessionAttendance): volunteering (hours) and courses (rate).
        Other events check in once per registration."""
        return self.is_volunteering or self.is_course

    @property
    def is_age_restricted(self) -> bool:
        return self.age_min is not None or self.age_max is not None

    @property
    def effective_registration_closes_at(self):
        return self.registration_closes_at or self.starts_at

    @property
    def effective_cancellation_deadline(self):
        return self.cancellation_deadline or self.starts_at


class EventHistory(StatusChange):
    """History of an event's status: who, when, which action, from, to, why."""

    Action, Status = Event.Action, Event.Status
    subject_field = "event"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="history", verbose_name="活动")

    class Meta(StatusChange.Meta):
        verbose_name = "活动状态记录"
        verbose_name_plural = "活动状态记录"


class EventSession(models.Model):
    """One meeting of an event (a course has one per week). Each holds a booking of the event's venue."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions", verbose_name="活动")
    index = models.PositiveSmallIntegerField("第几次", help_text="从 1 开始")
    starts_at = models.DateTimeField("开始时间", db_index=True)
    ends_at = models.DateTimeField("结束时间")
    reminded_24h_at = models.DateTimeField("24 小时提醒已发", null=True, blank=True)
    reminded_2h_at = models.DateTimeField("2 小时提醒已发", null=True, blank=True)

    class Meta:
        verbose_name = "活动场次"
        verbose_name_plural = "活动场次"
        ordering = ["event_id", "index"]
        constraints = [
            models.UniqueConstraint(fields=["event", "index"], name="eventsession_unique_index"),
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="eventsession_starts_before_ends"),
        ]

    def __str__(self):
        return f"{self.event} 第 {self.index} 次"


class Registration(TimestampedModel):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "报名成功"
        WAITLISTED = "waitlisted", "候补中"
        CANCELLED = "cancelled", "已取消"
        ATTENDED = "attended", "已签到"
        NO_SHOW = "no_show", "未到场"

    class Action(models.TextChoices):
        REGISTER = "register", "报名"
        CANCEL = "cancel", "取消"
        PROMOTE = "promote", "候补递补"
        CHECK_IN = "check_in", "签到"
        MARK_NO_SHOW = "mark_no_show", "记为未到场"

    # Every change of `status` goes through `linli.workflow.transition` (history: RegistrationHistory).
    workflow = Workflow(
        actions=Action,
        transitions={
            Action.CANCEL: ({Status.CONFIRMED, Status.WAITLISTED}, Status.CANCELLED),
            Action.PROMOTE: ({Status.WAITLISTED}, Status.CONFIRMED),
            Action.CHECK_IN: ({Status.CONFIRMED}, Status.ATTENDED),
            Action.MARK_NO_SHOW: ({Status.CONFIRMED}, Status.NO_SHOW),
        },
        history="events.RegistrationHistory",
    )
    # Statuses that hold seats, and that count as "registered" (one per user and event).
    SEAT_STATUSES = (Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW)
    ACTIVE_STATUSES = (Status.CONFIRMED, Status.WAITLISTED, Status.ATTENDED, Status.NO_SHOW)

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations", verbose_name="活动")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_registrations", verbose_name="居民"
    )
    attendees = models.PositiveSmallIntegerField("人数", default=1, help_text="含本人")
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="代办人",
        help_text="亲情账号代办时的家属；空表示本人办理",
    )
    status = models.CharField("状态", max_length=12, choices=Status.choices, db_index=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="签到核验人",
    )

    class Meta:
        verbose_name = "报名"
        verbose_name_plural = "报名"
        ordering = ["created_at", "id"]  # also the waitlist order
        indexes = [models.Index(fields=["event", "status", "created_at"], name="registration_queue_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], condition=~Q(status="cancelled"), name="registration_one_active_per_user"
            ),
            models.CheckConstraint(condition=Q(attendees__gte=1), name="registration_attendees_min_1"),
        ]

    def __str__(self):
        return f"{self.user} · {self.event} · {self.get_status_display()}"

    @property
    def ticket(self) -> str:
        """The check-in code the mini-program shows as a QR code: the id, signed with SECRET_KEY."""
        return Signer(salt=TICKET_SALT).sign(f"R{self.pk}")

    @staticmethod
    def id_from_ticket(ticket: str) -> int | None:
        try:
            value = Signer(salt=TICKET_SALT).unsign(ticket.strip())
        except (BadSignature, AttributeError):
            return None
        if not value.startswith("R") or not value[1:].isdigit():
            return None
        return int(value[1:])


class RegistrationHistory(StatusChange):
    """History of a registration: registered (confirmed or waitlisted), promoted, cancelled, checked in…"""

    Action, Status = Registration.Action, Registration.Status
    subject_field = "registration"

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="history", verbose_name="报名"
    )

    class Meta(StatusChange.Meta):
        verbose_name = "报名状态记录"
        verbose_name_plural = "报名状态记录"


class SeatRelease(models.Model):
    """One round of waitlist promotion: seats became free, and who got them (WaitlistDecision)."""

    class Cause(models.TextChoices):
        CANCELLATION = "cancellation", "有人取消报名"
        CAPACITY_INCREASED = "capacity_increased", "增加名额"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="seat_releases", verbose_name="活动")
    cause = models.CharField("原因", max_length=20, choices=Cause.choices)
    cancelled_registration = models.ForeignKey(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="取消的报名",
    )
    seats_freed = models.PositiveIntegerField("空出名额")
    seats_available = models.PositiveIntegerField("可递补名额", help_text="递补开始时的剩余名额")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "候补递补记录"
        verbose_name_plural = "候补递补记录"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.event} 空出 {self.seats_freed} 个名额"


class WaitlistDecision(models.Model):
    class Outcome(models.TextChoices):
        PROMOTED = "promoted", "已递补"
        SKIPPED = "skipped_party_too_large", "人数超过剩余名额，未递补"

    release = models.ForeignKey(SeatRelease, on_delete=models.CASCADE, related_name="decisions", verbose_name="递补")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="waitlist_decisions", verbose_name="报名"
    )
    outcome = models.CharField("结果", max_length=30, choices=Outcome.choices)
    queue_position = models.PositiveIntegerField("候补顺位")
    attendees = models.PositiveSmallIntegerField("人数")
    seats_left = models.PositiveIntegerField("当时剩余名额")

    class Meta:
        verbose_name = "递补决定"
        verbose_name_plural = "递补决定"
        ordering = ["release_id", "queue_position"]

    def __str__(self):
        return f"{self.registration_id} {self.get_outcome_display()}"


class CheckInScan(models.Model):
    """Every ticket scanned at an event, and the answer given. A repeated `nonce` replays the answer."""

    class Outcome(models.TextChoices):
        CHECKED_IN = "checked_in", "签到成功"
        ALREADY_CHECKED_IN = "already_checked_in", "已签到过"
        INVALID_TICKET = "invalid_ticket", "无效的签到码"
        OTHER_EVENT = "ticket_for_another_event", "非本活动的签到码"
        CANCELLED = "registration_cancelled", "报名已取消"
        WAITLISTED = "registration_waitlisted", "候补中，未获名额"
        NO_SHOW = "registration_no_show", "已记为未到场"
        NO_SESSION_NOW = "no_session_now", "当前不在活动场次签到时间内"
        CHECKED_OUT = "checked_out", "签退成功"
        ALREADY_CHECKED_OUT = "already_checked_out", "已签退过"
        NOT_CHECKED_IN = "not_checked_in", "未签到，不能签退"

    class Direction(models.TextChoices):
        IN = "in", "签到"
        OUT = "out", "签退"

    SUCCESS = (Outcome.CHECKED_IN, Outcome.ALREADY_CHECKED_IN, Outcome.CHECKED_OUT, Outcome.ALREADY_CHECKED_OUT)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="scans", verbose_name="活动")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, null=True, blank=True, related_name="scans", verbose_name="报名"
    )
    session = models.ForeignKey(
        EventSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="scans",
        verbose_name="场次",
        help_text="按场次签到的活动（志愿服务、课程）",
    )
    direction = models.CharField("方向", max_length=3, choices=Direction.choices, default="in", db_default="in")
    ticket = models.CharField("签到码", max_length=200)
    nonce = models.CharField("请求标识", max_length=64, blank=True)
    outcome = models.CharField("结果", max_length=30, choices=Outcome.choices)
    points_awarded = models.PositiveIntegerField("发放积分", default=0)
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="核验人"
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "签到记录"
        verbose_name_plural = "签到记录"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "nonce"], condition=~Q(nonce=""), name="checkinscan_unique_nonce")
        ]

    def __str__(self):
        return f"{self.event} · {self.get_outcome_display()}"


class Feedback(TimestampedModel):
    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="feedback", verbose_name="报名"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="feedback", verbose_name="活动")
    rating = models.PositiveSmallIntegerField("评分", help_text="1–5")
    comment = models.TextField("评价", blank=True, max_length=500)

    class Meta:
        verbose_name = "活动评价"
        verbose_name_plural = "活动评价"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"),
        ]

    def __str__(self):
        return f"{self.event} · {self.rating} 星"


class VenueBooking(TimestampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", "有效"
        CANCELLED = "cancelled", "已取消"

    class Action(models.TextChoices):
        BOOK = "book", "预约"
        CANCEL = "cancel", "取消"

    # Every change of `status` goes through `linli.workflow.transition` (history: VenueBookingHistory).
    workflow = Workflow(
        actions=Action,
        transitions={Action.CANCEL: ({Status.ACTIVE}, Status.CANCELLED)},
        history="events.VenueBookingHistory",
    )

    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="bookings", verbose_name="场地")
    session = models.OneToOneField(
        EventSession,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="booking",
        verbose_name="活动场次",
        help_text="活动占用场地时填写",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="venue_bookings",
        verbose_name="预约人",
    )
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    purpose = models.CharField("用途", max_length=100)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)

    class Meta:
        verbose_name = "场地预约"
        verbose_name_plural = "场地预约"
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["venue", "starts_at"], name="venuebooking_venue_start_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="venuebooking_starts_before_ends"),
        ]
        # No overlap of active bookings per venue: an exclusion constraint added on PostgreSQL only by
        # migration 0002 (SQLite has none; the services' venue row lock keeps it correct there).

    def __str__(self):
        return f"{self.venue} {self.starts_at:%Y-%m-%d %H:%M}"


class VenueBookingHistory(StatusChange):
    """History of a venue booking: booked, cancelled (by whom)."""

    Action, Status = VenueBooking.Action, VenueBooking.Status
    subject_field = "booking"

    booking = models.ForeignKey(VenueBooking, on_delete=models.CASCADE, related_name="history", verbose_name="场地预约")

    class Meta(StatusChange.Meta):
        verbose_name = "场地预约记录"
        verbose_name_plural = "场地预约记录"


from .attendance import CourseCompletion, HoursAdjustment, SessionAttendance  # noqa: E402

__all__ = [
    "CheckInScan",
    "CourseCompletion",
    "Event",
    "EventHistory",
    "EventSession",
    "Feedback",
    "HoursAdjustment",
    "Registration",
    "RegistrationHistory",
    "SeatRelease",
    "SessionAttendance",
    "Venue",
    "VenueBooking",
    "VenueBookingHistory",
    "VenueOpeningHours",
    "WaitlistDecision",
]
