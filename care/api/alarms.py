"""一键呼叫 over HTTP: staff and care workers answer alarms under /staff/care/alarms/; an elder and their
family read the elder's under /care/alarms/. Someone else's alarm is 404."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action

from care import alarms_selectors as selectors
from care.alarms_filters import AlarmFilterSet
from care.models import Alarm, AlarmHistory, AlarmOutcome
from care.services import alarms as services
from linli.accounts.models import Role
from linli.api.permissions import has_role
from linli.api.serializers import ModelSerializer, RefSerializer, UserRefSerializer
from linli.api.views import ApiViewSet

# --- serializers -------------------------------------------------------------------------------


class AlarmHistorySerializer(ModelSerializer):
    actor = UserRefSerializer(allow_null=True)

    class Meta:
        model = AlarmHistory
        fields = ["action", "from_status", "to_status", "actor", "note", "created_at"]


class AlarmSerializer(ModelSerializer):
    elder = UserRefSerializer()
    community = RefSerializer()
    device = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()
    acknowledged_by = UserRefSerializer(allow_null=True)
    arrived_by = UserRefSerializer(allow_null=True)
    closed_by = UserRefSerializer(allow_null=True)
    seconds_to_acknowledge = serializers.SerializerMethodField()

    class Meta:
        model = Alarm
        fields = [
            "id",
            "kind",
            "status",
            "elder",
            "community",
            "device",
            "address",
            "press_count",
            "raised_at",
            "last_pressed_at",
            "escalation_level",
            "next_escalation_at",
            "acknowledged_by",
            "acknowledged_at",
            "seconds_to_acknowledge",
            "arrived_by",
            "arrived_at",
            "closed_by",
            "closed_at",
            "outcome",
            "outcome_note",
        ]

    def get_device(self, alarm) -> dict:
        return {"code": alarm.device.code, "name": alarm.device.name, "note": alarm.binding.note}

    def get_address(self, alarm) -> str:
        room = alarm.binding.room
        return "" if room is None else f"{room.building.estate.name}{room.building.name}{room.number}"

    def get_seconds_to_acknowledge(self, alarm) -> int | None:
        if alarm.acknowledged_at is None:
            return None
        return int((alarm.acknowledged_at - alarm.raised_at).total_seconds())


class AlarmDetailSerializer(AlarmSerializer):
    history = AlarmHistorySerializer(many=True)

    class Meta(AlarmSerializer.Meta):
        fields = [*AlarmSerializer.Meta.fields, "history"]


class AlarmNoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class AlarmCloseInputSerializer(AlarmNoteInputSerializer):
    outcome = serializers.ChoiceField(choices=AlarmOutcome.choices)


# --- views ---------------------------------------------------------------------------------------


class Viewset(ApiViewSet):
    lookup_value_regex = r"\d+"


@extend_schema_view(
    list=extend_schema(summary="Emergency alarms (一键呼叫) I answer: open ones first"),
    retrieve=extend_schema(summary="One alarm with its timeline"),
)
class StaffAlarmViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    filterset_class = AlarmFilterSet
    permission_classes = [has_role(Role.COMMUNITY_STAFF, Role.CARE_WORKER)]

    def get_queryset(self):
        queryset = selectors.alarms_for_staff(self.request.user)
        return selectors.with_history(queryset) if self.action != "list" else queryset

    def get_serializer_class(self):
        return AlarmSerializer if self.action == "list" else AlarmDetailSerializer

    def _detail(self, alarm):
        return self.respond(AlarmDetailSerializer, self.get_queryset().get(pk=alarm.pk))

    @extend_schema(
        summary="Acknowledge (open → acknowledged): the escalation stops",
        request=AlarmNoteInputSerializer,
        responses={200: AlarmDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        alarm = self.get_object()
        data = self.validated(AlarmNoteInputSerializer)
        return self._detail(services.alarm_acknowledge(alarm=alarm, actor=request.user, note=data["note"]))

    @extend_schema(
        summary="Arrived at the elder's side (open/acknowledged → on_site)",
        request=AlarmNoteInputSerializer,
        responses={200: AlarmDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def arrive(self, request, pk=None):
        alarm = self.get_object()
        data = self.validated(AlarmNoteInputSerializer)
        return self._detail(services.alarm_arrive(alarm=alarm, actor=request.user, note=data["note"]))

    @extend_schema(
        summary="Close with the outcome (false alarm, handled at home, sent to hospital, other)",
        request=AlarmCloseInputSerializer,
        responses={200: AlarmDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        alarm = self.get_object()
        data = self.validated(AlarmCloseInputSerializer)
        alarm = services.alarm_close(alarm=alarm, actor=request.user, outcome=data["outcome"], note=data["note"])
        return self._detail(alarm)


@extend_schema_view(
    list=extend_schema(summary="My alarms and those of the elders I receive alerts for"),
    retrieve=extend_schema(summary="One alarm with its timeline"),
)
class AlarmViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    filterset_class = AlarmFilterSet

    def get_queryset(self):
        queryset = selectors.alarms_for_family(self.request.user)
        return selectors.with_history(queryset) if self.action != "list" else queryset

    def get_serializer_class(self):
        return AlarmSerializer if self.action == "list" else AlarmDetailSerializer
