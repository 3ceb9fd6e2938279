"""托育 over HTTP: parents under /care/childcare/ (classes, their children, applications, fee bills);
community staff and the 托育点's people review applications under /staff/care/childcare/."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action

from care import childcare_selectors as selectors
from care.childcare_filters import ChildcareClassFilterSet, EnrolmentFilterSet, FeeBillFilterSet
from care.models import Child, ChildcareClass, Enrolment, EnrolmentHistory, FeeBill
from care.services import childcare as services
from linli.accounts.models import Role
from linli.api.errors import NotFoundError
from linli.api.fields import DateField
from linli.api.permissions import has_role
from linli.api.schema import ErrorSerializer
from linli.api.serializers import ModelSerializer, RefSerializer, UserRefSerializer
from linli.api.views import ApiViewSet
from linli.regions import households

# A POST that names someone else's bill, room, child or class (or one that does not exist) is 404.
NOT_MINE = OpenApiResponse(ErrorSerializer, description="A referenced object is not yours (not_found)")


# --- serializers -------------------------------------------------------------------------------


class ChildcareClassSerializer(ModelSerializer):
    provider = RefSerializer()
    community = RefSerializer()
    places_left = serializers.SerializerMethodField()

    class Meta:
        model = ChildcareClass
        fields = [
            "id",
            "provider",
            "community",
            "name",
            "min_age_months",
            "max_age_months",
            "capacity",
            "enrolled_count",
            "places_left",
            "monthly_fee_fen",
        ]

    def get_places_left(self, klass) -> int:
        return max(0, klass.capacity - klass.enrolled_count)


class ChildSerializer(ModelSerializer):
    class Meta:
        model = Child
        fields = ["id", "name", "birth_date", "room", "community", "created_at"]


class ChildInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=30)
    birth_date = DateField()
    room = serializers.IntegerField(help_text="家长已认证的房屋 id")


class EnrolmentHistorySerializer(ModelSerializer):
    actor = UserRefSerializer(allow_null=True)

    class Meta:
        model = EnrolmentHistory
        fields = ["action", "from_status", "to_status", "actor", "note", "created_at"]


class EnrolmentSerializer(ModelSerializer):
    child = serializers.SerializerMethodField()
    klass = serializers.SerializerMethodField()
    waitlist_position = serializers.SerializerMethodField()

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "child",
            "klass",
            "start_date",
            "status",
            "waitlisted_at",
            "waitlist_position",
            "enrolled_at",
            "reason",
            "created_at",
        ]

    def get_child(self, enrolment) -> dict:
        return {"id": enrolment.child_id, "name": enrolment.child.name, "birth_date": str(enrolment.child.birth_date)}

    def get_klass(self, enrolment) -> dict:
        klass = enrolment.klass
        return {"id": klass.pk, "name": klass.name, "provider": klass.provider.name}

    def get_waitlist_position(self, enrolment) -> int | None:
        # Computed on the detail only (the list would need one query per row).
        if enrolment.status != Enrolment.Status.WAITLISTED or not self.context.get("with_position"):
            return None
        ahead = Enrolment.objects.filter(
            klass_id=enrolment.klass_id, status=Enrolment.Status.WAITLISTED, waitlisted_at__lt=enrolment.waitlisted_at
        ).count()
        return ahead + 1


class EnrolmentDetailSerializer(EnrolmentSerializer):
    history = EnrolmentHistorySerializer(many=True)

    class Meta(EnrolmentSerializer.Meta):
        fields = [*EnrolmentSerializer.Meta.fields, "history"]


class EnrolmentInputSerializer(serializers.Serializer):
    child = serializers.IntegerField()
    klass = serializers.IntegerField(help_text="班级 id")
    start_date = DateField(help_text="入托日期：幼儿此日的月龄须在班级招收范围内")


class EnrolmentRejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class EnrolmentNoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class FeeBillSerializer(ModelSerializer):
    child = serializers.CharField(source="enrolment.child.name")
    klass = serializers.CharField(source="enrolment.klass.name")
    payment_intent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = FeeBill
        fields = ["id", "child", "klass", "month", "amount_fen", "status", "payment_intent", "paid_at"]


# --- views: parents ------------------------------------------------------------------------------


class Viewset(ApiViewSet):
    lookup_value_regex = r"\d+"


@extend_schema_view(
    list=extend_schema(summary="托育 classes open in my communities, with places left"),
    retrieve=extend_schema(summary="One class"),
)
class ChildcareClassViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = ChildcareClassSerializer
    filterset_class = ChildcareClassFilterSet

    def get_queryset(self):
        return selectors.classes_for_resident(self.request.user)


@extend_schema_view(
    list=extend_schema(summary="My children (dependants on my household)"),
    retrieve=extend_schema(summary="One of my children"),
)
class ChildViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    serializer_class = ChildSerializer

    def get_queryset(self):
        return selectors.children_of(self.request.user)

    @extend_schema(
        summary="Register a child under 3 in a household I am verified in",
        request=ChildInputSerializer,
        responses={201: ChildSerializer, 404: NOT_MINE},
    )
    def create(self, request):
        data = self.validated(ChildInputSerializer)
        room = households.households_of(request.user).filter(pk=data["room"]).first()
        if room is None:
            raise NotFoundError("房屋不存在")
        child = services.child_register(
            parent=request.user, room=room, name=data["name"], birth_date=data["birth_date"]
        )
        return self.respond(ChildSerializer, child, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="My children's 托育 applications"),
    retrieve=extend_schema(summary="One application with its timeline and waitlist position"),
)
class EnrolmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    filterset_class = EnrolmentFilterSet

    def get_queryset(self):
        queryset = selectors.enrolments_of(self.request.user)
        return selectors.with_history(queryset) if self.action != "list" else queryset

    def get_serializer_class(self):
        return EnrolmentSerializer if self.action == "list" else EnrolmentDetailSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "with_position": self.action != "list"}

    def _detail(self, enrolment, status_code=status.HTTP_200_OK):
        return self.respond(EnrolmentDetailSerializer, self.get_queryset().get(pk=enrolment.pk), status_code)

    @extend_schema(
        summary="Apply for my child to a class (staff review it)",
        request=EnrolmentInputSerializer,
        responses={201: EnrolmentDetailSerializer, 404: NOT_MINE},
    )
    def create(self, request):
        data = self.validated(EnrolmentInputSerializer)
        child = selectors.children_of(request.user).filter(pk=data["child"]).first()
        klass = selectors.classes_for_resident(request.user).filter(pk=data["klass"]).first()
        if child is None:
            raise NotFoundError("幼儿不存在")
        if klass is None:
            raise NotFoundError("班级不存在")
        enrolment = services.enrolment_apply(
            parent=request.user, child=child, klass=klass, start_date=data["start_date"]
        )
        return self._detail(enrolment, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Withdraw my application (pending or waitlisted)",
        request=None,
        responses={200: EnrolmentDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._detail(services.enrolment_cancel(enrolment=self.get_object(), parent=request.user))


@extend_schema_view(list=extend_schema(summary="My 托育 fee bills, newest month first"))
class FeeBillViewSet(mixins.ListModelMixin, Viewset):
    serializer_class = FeeBillSerializer
    filterset_class = FeeBillFilterSet

    def get_queryset(self):
        return selectors.bills_of(self.request.user)

    @extend_schema(
        summary="Pay a bill online: its payment intent (pay it with /payments/{id}/prepare/)",
        request=None,
        responses={200: FeeBillSerializer},
    )
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        bill = services.fee_bill_pay(bill=self.get_object(), payer=request.user)
        return self.respond(FeeBillSerializer, self.get_queryset().get(pk=bill.pk))


# --- views: staff --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="托育 applications of my communities / my 托育点"),
    retrieve=extend_schema(summary="One application with its timeline"),
)
class StaffEnrolmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    filterset_class = EnrolmentFilterSet
    permission_classes = [has_role(Role.COMMUNITY_STAFF, Role.CARE_WORKER)]

    def get_queryset(self):
        queryset = selectors.enrolments_for_staff(self.request.user)
        return selectors.with_history(queryset) if self.action != "list" else queryset

    def get_serializer_class(self):
        return EnrolmentSerializer if self.action == "list" else EnrolmentDetailSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "with_position": self.action != "list"}

    def _detail(self, enrolment):
        return self.respond(EnrolmentDetailSerializer, self.get_queryset().get(pk=enrolment.pk))

    @extend_schema(
        summary="Approve: enrolled while the class has a place, else waitlisted",
        request=EnrolmentNoteInputSerializer,
        responses={200: EnrolmentDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        enrolment = self.get_object()
        data = self.validated(EnrolmentNoteInputSerializer)
        return self._detail(services.enrolment_approve(enrolment=enrolment, reviewer=request.user, note=data["note"]))

    @extend_schema(
        summary="Reject with a reason",
        request=EnrolmentRejectInputSerializer,
        responses={200: EnrolmentDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        enrolment = self.get_object()
        data = self.validated(EnrolmentRejectInputSerializer)
        return self._detail(
            services.enrolment_reject(enrolment=enrolment, reviewer=request.user, reason=data["reason"])
        )

    @extend_schema(
        summary="Withdraw an enrolled child (退托): the first waitlisted child takes the place",
        request=EnrolmentNoteInputSerializer,
        responses={200: EnrolmentDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        enrolment = self.get_object()
        data = self.validated(EnrolmentNoteInputSerializer)
        return self._detail(services.enrolment_withdraw(enrolment=enrolment, actor=request.user, note=data["note"]))
