from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from linli.api.fields import DateField
from linli.api.serializers import ModelSerializer, UserRefSerializer, validate_phone
from linli.family.models import FamilyAct, FamilyBinding, FamilyBindingHistory, ManagedElder
from linli.lib.masking import mask_phone

MAX_ID = 2**63 - 1


class PermissionsSerializer(serializers.Serializer):
    view_health = serializers.BooleanField(required=False, help_text="查看健康数据: vitals, records")
    act_for = serializers.BooleanField(
        required=False, help_text="代办: register, book, consult, file work orders, order care, market orders"
    )
    pay_for = serializers.BooleanField(required=False, help_text="代付")
    receive_alerts = serializers.BooleanField(required=False, help_text="接收告警: abnormal vitals, SOS")


class BindingRequestSerializer(serializers.Serializer):
    side = serializers.ChoiceField(
        choices=FamilyBinding.Side.choices,
        help_text="My side: principal (I am the elder, asking them to act for me) or member (I ask to act for them)",
    )
    phone = serializers.CharField(
        required=False, allow_blank=True, max_length=20, validators=[validate_phone], help_text="The other's phone"
    )
    user = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text="Or the other's user id")
    relation = serializers.CharField(required=False, allow_blank=True, max_length=20, help_text="如 儿子、女儿")
    permissions = PermissionsSerializer(required=False, help_text="Proposed permissions; left out: none")

    def validate(self, data):
        if bool(data.get("phone")) == (data.get("user") is not None):
            raise serializers.ValidationError({"phone": ["请填写对方手机号或用户 ID（二选一）"]})
        return data


class BindingAcceptSerializer(serializers.Serializer):
    permissions = PermissionsSerializer(
        required=False, help_text="The principal accepting may set the permissions at once"
    )


class BindingHistorySerializer(ModelSerializer):
    actor = UserRefSerializer(read_only=True, allow_null=True, help_text="null: the system")
    from_status = serializers.ChoiceField(
        choices=FamilyBinding.Status.choices, allow_blank=True, read_only=True, help_text="Empty for the first step"
    )

    class Meta:
        model = FamilyBindingHistory
        fields = ["action", "from_status", "to_status", "actor", "note", "permissions", "created_at"]
        read_only_fields = fields


class BindingSerializer(ModelSerializer):
    """A binding as one of its sides sees it. Until the other side answers, it is named only by what the
    requester typed (masked phone or id), never by name: the answer never says who holds a number."""

    principal = UserRefSerializer(read_only=True, allow_null=True)
    member = UserRefSerializer(read_only=True, allow_null=True)
    requested_by = UserRefSerializer(read_only=True, allow_null=True)
    my_side = serializers.SerializerMethodField(help_text="principal, member, guardian (of a managed elder) or invitee")
    invitee = serializers.SerializerMethodField(help_text="The masked phone or the id a pending request was sent to")
    principal_is_managed = serializers.SerializerMethodField()

    class Meta:
        model = FamilyBinding
        fields = [
            "id",
            "status",
            "principal",
            "member",
            "my_side",
            "requester_side",
            "requested_by",
            "invitee",
            "relation",
            "view_health",
            "act_for",
            "pay_for",
            "receive_alerts",
            "is_guardian",
            "principal_is_managed",
            "created_at",
            "responded_at",
            "ended_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=["principal", "member", "guardian", "invitee"]))
    def get_my_side(self, binding) -> str:
        user_id = self.context["request"].user.pk
        side = binding.side_of(user_id)
        if side:
            return side
        return "invitee" if binding.status == FamilyBinding.Status.PENDING and not binding.is_guardian else "guardian"

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_invitee(self, binding) -> str | None:
        if binding.invitee_phone:
            return mask_phone(binding.invitee_phone)
        return str(binding.invitee_ref) if binding.invitee_ref else None

    def get_principal_is_managed(self, binding) -> bool:
        principal = binding.principal
        return principal is not None and hasattr(principal, "managed_elder")


class BindingDetailSerializer(BindingSerializer):
    history = BindingHistorySerializer(many=True, read_only=True)

    class Meta(BindingSerializer.Meta):
        fields = [*BindingSerializer.Meta.fields, "history"]
        read_only_fields = fields


class ActSerializer(ModelSerializer):
    actor = UserRefSerializer(read_only=True)
    beneficiary = UserRefSerializer(read_only=True)

    class Meta:
        model = FamilyAct
        fields = ["id", "actor", "beneficiary", "kind", "object_type", "object_id", "summary", "created_at"]
        read_only_fields = fields


class ManagedElderCreateSerializer(serializers.Serializer):
    community = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="One of my communities")
    display_name = serializers.CharField(max_length=50, help_text="The elder's name")
    birth_date = DateField()
    guardian_phone = serializers.CharField(
        max_length=20, validators=[validate_phone], help_text="The guardian's phone; they must have registered it"
    )
    relation = serializers.CharField(required=False, allow_blank=True, max_length=20, help_text="如 儿子")
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class GuardianSerializer(serializers.Serializer):
    guardian_phone = serializers.CharField(max_length=20, validators=[validate_phone])
    relation = serializers.CharField(required=False, allow_blank=True, max_length=20)


class ManagedElderSerializer(ModelSerializer):
    user = UserRefSerializer(read_only=True)
    birth_date = DateField(source="user.birth_date", read_only=True)
    community = serializers.SerializerMethodField()
    guardian = serializers.SerializerMethodField()

    class Meta:
        model = ManagedElder
        fields = ["id", "user", "birth_date", "community", "guardian", "note", "created_at"]
        read_only_fields = fields

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}})
    def get_community(self, managed) -> dict:
        return {"id": managed.community_id, "name": managed.community.name}

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "id": {"type": "integer"},
                "display_name": {"type": "string"},
                "phone": {"type": "string"},
                "relation": {"type": "string"},
            },
        }
    )
    def get_guardian(self, managed) -> dict | None:
        bindings = managed.user.guardian_bindings
        if not bindings:
            return None
        guardian = bindings[0].member
        return {
            "id": guardian.pk,
            "display_name": str(guardian),
            "phone": mask_phone(guardian.phone or ""),
            "relation": bindings[0].relation,
        }
