from datetime import date, datetime

from rest_framework import serializers

from linli.accounts.models import User
from linli.api.fields import DateField, DateTimeField, MaskedPhoneField
from linli.api.serializers import ModelSerializer, RefSerializer, UserRefSerializer, validate_phone
from linli.regions.models import Building, Community, Estate, Room
from linli.uploads.api.serializers import AttachedPhotosSerializer, UploadIdsField
from linli.uploads.models import Upload
from residents.models import Announcement, Relation, Verification, WorkOrder, WorkOrderCategory, WorkOrderHistory
from residents.services import MAX_PHOTOS

EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


def validate_plausible_time(value):
    """Times and dates the app can reason about (a year like 0288 has no sensible time zone offset)."""
    day = value.date() if isinstance(value, datetime) else value
    if value is not None and not EARLIEST <= day <= LATEST:
        raise serializers.ValidationError(f"日期须在 {EARLIEST.year} 至 {LATEST.year} 年之间")
    return value


# --- places --------------------------------------------------------------------------------------


class EstateRoomSerializer(ModelSerializer):
    class Meta:
        model = Room
        fields = ["id", "number", "floor"]


class EstateBuildingSerializer(ModelSerializer):
    rooms = EstateRoomSerializer(many=True, read_only=True)

    class Meta:
        model = Building
        fields = ["id", "name", "unit", "rooms"]


class EstateSerializer(ModelSerializer):
    community = RefSerializer(read_only=True)
    buildings = EstateBuildingSerializer(many=True, read_only=True)

    class Meta:
        model = Estate
        fields = ["id", "name", "address", "community", "buildings"]


class ResidentsRoomSerializer(ModelSerializer):
    """A room with its full name, e.g. "春江月小区 3幢2单元 502室"."""

    name = serializers.CharField(source="__str__", read_only=True)
    estate = RefSerializer(source="building.estate", read_only=True)
    building = serializers.CharField(source="building.name", read_only=True)
    unit = serializers.CharField(source="building.unit", read_only=True)

    class Meta:
        model = Room
        fields = ["id", "name", "estate", "building", "unit", "number", "floor"]


class ResidentsRoomRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


# --- households ----------------------------------------------------------------------------------


class HouseholdSerializer(ResidentsRoomSerializer):
    community = RefSerializer(source="building.estate.community", read_only=True)
    relation = serializers.ChoiceField(choices=Relation.choices, read_only=True)
    since = DateTimeField(read_only=True)

    class Meta(ResidentsRoomSerializer.Meta):
        fields = [*ResidentsRoomSerializer.Meta.fields, "community", "relation", "since"]


class HouseholdMemberSerializer(serializers.Serializer):
    user = UserRefSerializer()
    relation = serializers.ChoiceField(choices=Relation.choices, source="position")
    since = DateTimeField(source="created_at")


# --- verifications -------------------------------------------------------------------------------


class VerificationInputSerializer(serializers.Serializer):
    room = serializers.PrimaryKeyRelatedField(queryset=Room.objects.all())
    relation = serializers.ChoiceField(choices=Relation.choices)
    real_name = serializers.CharField(max_length=30)
    phone = serializers.CharField(max_length=20, validators=[validate_phone])


class VerificationSerializer(ModelSerializer):
    room = ResidentsRoomRefSerializer(read_only=True)
    community = RefSerializer(read_only=True)
    phone = MaskedPhoneField()

    class Meta:
        model = Verification
        fields = [
            "id",
            "room",
            "community",
            "relation",
            "real_name",
            "phone",
            "status",
            "reject_reason",
            "created_at",
            "reviewed_at",
        ]
        read_only_fields = fields


class StaffVerificationSerializer(VerificationSerializer):
    """The reviewer sees the applicant's phone in full: they call to check."""

    applicant = UserRefSerializer(source="user", read_only=True)
    phone = serializers.CharField(read_only=True)
    reviewed_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta(VerificationSerializer.Meta):
        fields = [*VerificationSerializer.Meta.fields, "applicant", "reviewed_by"]
        read_only_fields = fields


class VerificationRejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


# --- work orders ---------------------------------------------------------------------------------


class WorkOrderCategorySerializer(ModelSerializer):
    class Meta:
        model = WorkOrderCategory
        fields = ["id", "name", "response_hours", "resolution_hours"]


class WorkOrderInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=WorkOrder.Kind.choices)
    category = serializers.PrimaryKeyRelatedField(queryset=WorkOrderCategory.objects.filter(is_active=True))
    description = serializers.CharField(max_length=2000)
    room = serializers.PrimaryKeyRelatedField(
        queryset=Room.objects.all(), required=False, allow_null=True, help_text="One of my verified rooms"
    )
    community = serializers.PrimaryKeyRelatedField(
        queryset=Community.objects.all(),
        required=False,
        allow_null=True,
        help_text="Needed without a room when I live in several communities",
    )
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    photos = UploadIdsField(purpose=Upload.Purpose.WORK_ORDER, max_length=MAX_PHOTOS)
    preferred_time = DateTimeField(required=False, allow_null=True, validators=[validate_plausible_time])
    contact_phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="", validators=[validate_phone]
    )


class StaffWorkOrderInputSerializer(WorkOrderInputSerializer):
    reporter = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), help_text="The resident the order is filed for"
    )
    channel = serializers.ChoiceField(
        choices=[WorkOrder.Channel.STAFF, WorkOrder.Channel.PHONE], default=WorkOrder.Channel.STAFF
    )


class WorkOrderEventSerializer(ModelSerializer):
    actor = UserRefSerializer(read_only=True, allow_null=True, help_text="null: the system")
    from_status = serializers.ChoiceField(
        choices=WorkOrder.Status.choices, allow_blank=True, read_only=True, help_text="Empty for the first step"
    )

    class Meta:
        model = WorkOrderHistory
        fields = ["action", "from_status", "to_status", "actor", "note", "duration_seconds", "created_at"]
        read_only_fields = fields


class WorkOrderSerializer(ModelSerializer):
    """A work order as its resident sees it in a list."""

    category = RefSerializer(read_only=True)
    community = RefSerializer(read_only=True)
    room = ResidentsRoomRefSerializer(read_only=True, allow_null=True)
    assignee = UserRefSerializer(read_only=True, allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True)
    acted_by = UserRefSerializer(
        read_only=True, allow_null=True, help_text="The family member who filed it for the resident (亲情账号)"
    )

    class Meta:
        model = WorkOrder
        fields = [
            "id",
            "kind",
            "category",
            "status",
            "description",
            "community",
            "room",
            "location",
            "channel",
            "acted_by",
            "assignee",
            "is_overdue",
            "rating",
            "created_at",
            "response_due_at",
            "resolution_due_at",
        ]
        read_only_fields = fields


_DETAIL_FIELDS = [
    "photos",
    "preferred_time",
    "responded_at",
    "resolved_at",
    "closed_at",
    "auto_closed",
    "resolution_note",
    "resolution_photos",
    "reopen_count",
    "rating_comment",
    "timeline",
]


class WorkOrderDetailSerializer(WorkOrderSerializer):
    photos = AttachedPhotosSerializer(source="photo_links")
    resolution_photos = AttachedPhotosSerializer(source="resolution_photo_links")
    timeline = WorkOrderEventSerializer(source="history", many=True, read_only=True)

    class Meta(WorkOrderSerializer.Meta):
        fields = [*WorkOrderSerializer.Meta.fields, *_DETAIL_FIELDS]
        read_only_fields = fields


_STAFF_FIELDS = ["reporter", "reporter_phone", "contact_phone", "filed_by", "escalated_at"]


class StaffWorkOrderSerializer(WorkOrderSerializer):
    """A work order in the property manager's queue."""

    reporter = UserRefSerializer(read_only=True)
    reporter_phone = MaskedPhoneField(source="reporter.phone")
    filed_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta(WorkOrderSerializer.Meta):
        fields = [*WorkOrderSerializer.Meta.fields, *_STAFF_FIELDS]
        read_only_fields = fields


class StaffWorkOrderDetailSerializer(WorkOrderDetailSerializer):
    """The handler's view: the resident's phone in full, to call them back."""

    reporter = UserRefSerializer(read_only=True)
    reporter_phone = serializers.CharField(source="reporter.phone", read_only=True, allow_null=True)
    filed_by = UserRefSerializer(read_only=True, allow_null=True)
    followed_up_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta(WorkOrderDetailSerializer.Meta):
        fields = [
            *WorkOrderDetailSerializer.Meta.fields,
            *_STAFF_FIELDS,
            "follow_up_note",
            "followed_up_at",
            "followed_up_by",
        ]
        read_only_fields = fields


class WorkOrderAssignInputSerializer(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), help_text="A property manager of the order's community"
    )
    reason = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="Required when transferring"
    )


class WorkOrderHandlersQuerySerializer(serializers.Serializer):
    community = serializers.IntegerField(
        required=False, help_text="The work order's community (one I work for); optional if I work for only one"
    )


class WorkOrderHandlerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField(source="__str__")
    open_work_orders = serializers.IntegerField(help_text="Orders of this community assigned to them or in progress")


class WorkOrderNoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class WorkOrderResolveInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, help_text="What was done")
    photos = UploadIdsField(
        purpose=Upload.Purpose.WORK_ORDER,
        max_length=MAX_PHOTOS,
        help_text=f"Ids of my uploads: before/after photos, in display order; at most {MAX_PHOTOS}",
    )


class WorkOrderFollowUpInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, help_text="What the resident said on the follow-up call")


class WorkOrderConfirmInputSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class WorkOrderReopenInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class WorkOrderCancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class WorkOrderStatsQuerySerializer(serializers.Serializer):
    from_ = DateField(
        required=False, validators=[validate_plausible_time], help_text="First day (default: 30 days before `to`)"
    )
    to = DateField(
        required=False, validators=[validate_plausible_time], help_text="Last day, inclusive (default: today)"
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields

    def validate(self, attrs):
        start, end = attrs.get("from"), attrs.get("to")
        if start and end and start > end:
            raise serializers.ValidationError({"from": ["开始日期不能晚于结束日期"]})
        return attrs


class WorkOrderCommunityStatsSerializer(serializers.Serializer):
    community = RefSerializer()
    total = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField(), help_text="status → count")
    by_kind = serializers.DictField(child=serializers.IntegerField(), help_text="kind → count")
    median_response_minutes = serializers.FloatField(allow_null=True, help_text="Submitted → first assigned")
    median_resolution_minutes = serializers.FloatField(allow_null=True, help_text="Submitted → resolved")
    on_time_rate = serializers.FloatField(allow_null=True, help_text="Resolved within the SLA / resolved (0–1)")
    average_rating = serializers.FloatField(allow_null=True)
    rated = serializers.IntegerField(help_text="Orders with a rating (auto-closed ones have none)")


class WorkOrderStatsSerializer(serializers.Serializer):
    from_ = DateField()
    to = DateField()
    communities = WorkOrderCommunityStatsSerializer(many=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


# --- announcements -------------------------------------------------------------------------------


class AnnouncementCardSerializer(ModelSerializer):
    """An announcement as every resident of its community sees it (cached and shared: residents/cache.py)."""

    community = RefSerializer(read_only=True)

    class Meta:
        model = Announcement
        fields = ["id", "community", "title", "body", "pinned", "publish_at", "expires_at"]
        read_only_fields = fields


class AnnouncementSerializer(AnnouncementCardSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta(AnnouncementCardSerializer.Meta):
        fields = [*AnnouncementCardSerializer.Meta.fields, "is_read"]
        read_only_fields = fields


class StaffAnnouncementSerializer(ModelSerializer):
    community = RefSerializer(read_only=True)
    created_by = UserRefSerializer(read_only=True, allow_null=True)
    read_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Announcement
        fields = [
            "id",
            "community",
            "title",
            "body",
            "pinned",
            "publish_at",
            "expires_at",
            "created_by",
            "read_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AnnouncementInputSerializer(serializers.Serializer):
    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())
    title = serializers.CharField(max_length=100)
    body = serializers.CharField(max_length=10000)
    pinned = serializers.BooleanField(required=False, default=False)
    publish_at = DateTimeField(
        required=False, allow_null=True, validators=[validate_plausible_time], help_text="Default: now"
    )
    expires_at = DateTimeField(required=False, allow_null=True, validators=[validate_plausible_time])


class AnnouncementUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100, required=False)
    body = serializers.CharField(max_length=10000, required=False)
    pinned = serializers.BooleanField(required=False)
    publish_at = DateTimeField(required=False, validators=[validate_plausible_time])
    expires_at = DateTimeField(required=False, allow_null=True, validators=[validate_plausible_time])
