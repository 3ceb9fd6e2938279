from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from health.models import (
    Appointment,
    Clinic,
    Consultation,
    ConsultationMessage,
    Department,
    Dispense,
    Drug,
    InsuranceApplication,
    InsuranceApplicationHistory,
    PolicyArticle,
    Prescription,
    PrescriptionItem,
    Slot,
    VitalAccessLog,
    VitalReading,
    VitalType,
)
from linli.accounts.api.serializers import CommunityRefSerializer
from linli.accounts.models import User
from linli.api.fields import DateTimeField
from linli.api.serializers import ClockTimeField, ModelSerializer
from linli.payments.api.serializers import PaymentIntentSerializer
from linli.uploads.api.serializers import PhotoSerializer, UploadIdsField
from linli.uploads.models import Upload

# --- shared ---------------------------------------------------------------------------------

MAX_ID = 2**63 - 1  # ids beyond what the database holds are a validation error, not a crash


class PersonSerializer(ModelSerializer):
    """A doctor or a reviewer as residents see them: a name, nothing else."""

    class Meta:
        model = User
        fields = ["id", "display_name"]


class PatientSerializer(ModelSerializer):
    """The resident as their doctor sees them."""

    age = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "display_name", "age"]

    def get_age(self, user) -> int | None:
        return user.age_on(timezone.localdate())


# --- catalogue ------------------------------------------------------------------------------


class ClinicSerializer(ModelSerializer):
    class Meta:
        model = Clinic
        fields = ["id", "name", "kind", "address", "phone"]


class DepartmentSerializer(ModelSerializer):
    clinic = ClinicSerializer(read_only=True)

    class Meta:
        model = Department
        fields = ["id", "name", "description", "clinic"]


class DrugSerializer(ModelSerializer):
    coverage_display = serializers.CharField(source="get_coverage_display", read_only=True)
    is_covered = serializers.BooleanField(read_only=True, help_text="甲/乙类：可由医保个账支付")

    class Meta:
        model = Drug
        fields = [
            "id",
            "name",
            "specification",
            "manufacturer",
            "unit",
            "coverage",
            "coverage_display",
            "is_covered",
            "price_fen",
            "is_prescription",
        ]


# --- consultations --------------------------------------------------------------------------


class ConsultationInputSerializer(serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.filter(is_active=True))
    symptoms = serializers.CharField(max_length=2000)
    photos = UploadIdsField(purpose=Upload.Purpose.CONSULTATION)
    share_vitals = serializers.BooleanField(default=False, help_text="Let the doctor read my vitals while open")


class ConsultationSerializer(ModelSerializer):
    department = DepartmentSerializer(read_only=True)
    doctor = PersonSerializer(read_only=True, allow_null=True)
    photos = PhotoSerializer(many=True, read_only=True)
    prescription = serializers.SerializerMethodField()
    acted_by = PersonSerializer(read_only=True, allow_null=True, help_text="The family member who asked (亲情账号)")

    class Meta:
        model = Consultation
        fields = [
            "id",
            "status",
            "department",
            "doctor",
            "symptoms",
            "photos",
            "share_vitals",
            "acted_by",
            "rating",
            "rating_comment",
            "prescription",
            "created_at",
            "accepted_at",
            "closed_at",
        ]

    def get_prescription(self, consultation) -> int | None:
        return consultation.prescription.pk if _has_prescription(consultation) else None


def _has_prescription(consultation) -> bool:
    try:
        consultation.prescription  # noqa: B018  (select_related: no query)
    except Prescription.DoesNotExist:
        return False
    return True


class DoctorConsultationSerializer(ConsultationSerializer):
    resident = PatientSerializer(read_only=True)

    class Meta(ConsultationSerializer.Meta):
        fields = [*ConsultationSerializer.Meta.fields, "resident"]


class MessageInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=2000)


class MessageSerializer(ModelSerializer):
    sender = PersonSerializer(read_only=True)

    class Meta:
        model = ConsultationMessage
        fields = ["id", "sender", "sender_role", "body", "created_at"]


class CloseInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class RateInputSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class PrescriptionItemInputSerializer(serializers.Serializer):
    drug = serializers.PrimaryKeyRelatedField(queryset=Drug.objects.filter(is_active=True))
    quantity = serializers.IntegerField(min_value=1, max_value=20)
    dosage = serializers.CharField(max_length=100, help_text="用法用量, e.g. 口服 一次1粒 一日3次")


class PrescribeInputSerializer(serializers.Serializer):
    diagnosis = serializers.CharField(max_length=200)
    items = PrescriptionItemInputSerializer(many=True, allow_empty=False, max_length=10)


class PrescriptionItemSerializer(ModelSerializer):
    drug = DrugSerializer(read_only=True)
    amount_fen = serializers.IntegerField(read_only=True)
    is_covered = serializers.BooleanField(read_only=True)

    class Meta:
        model = PrescriptionItem
        fields = ["id", "drug", "quantity", "dosage", "unit_price_fen", "coverage", "is_covered", "amount_fen"]


class PrescriptionSerializer(ModelSerializer):
    doctor = PersonSerializer(read_only=True)
    consultation = serializers.IntegerField(source="consultation_id", read_only=True)
    items = PrescriptionItemSerializer(many=True, read_only=True)
    self_pay_fen = serializers.IntegerField(read_only=True, help_text="丙类药品：现金（微信支付）")
    status = serializers.SerializerMethodField()

    class Meta:
        model = Prescription
        fields = [
            "id",
            "consultation",
            "doctor",
            "diagnosis",
            "status",
            "valid_until",
            "total_fen",
            "covered_fen",
            "self_pay_fen",
            "items",
            "created_at",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=Prescription.Status.choices))
    def get_status(self, prescription) -> str:
        # Past its validity it is expired even before the beat job has marked it.
        return Prescription.Status.EXPIRED if prescription.is_expired() else prescription.status


class DispenseInputSerializer(serializers.Serializer):
    device = serializers.SlugField(
        max_length=50, help_text="Code of the drug vending machine (on its screen / QR code)"
    )
    payment_method = serializers.ChoiceField(
        choices=Dispense.PaymentMethod.choices,
        help_text=(
            "insurance_account: covered drugs (甲/乙类, `covered_fen`) from the medical-insurance personal account, "
            "the rest by WeChat Pay, in one mixed order; wechat_pay: everything by WeChat Pay"
        ),
    )


class DispenseDeviceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    location = serializers.CharField()


class DispenseSerializer(ModelSerializer):
    prescription = serializers.IntegerField(source="prescription_id", read_only=True)
    device = DispenseDeviceSerializer(read_only=True)
    payment = PaymentIntentSerializer(source="payment_intent", read_only=True)
    pay_params = serializers.SerializerMethodField(
        help_text=(
            "While a cash or insurance part waits for the payer: what the mini-program passes to "
            "wx.requestPayment (sandbox / cash only) or wx.requestMedicalInsurancePay (`mixTradeNo`). "
            "Empty once paid."
        )
    )
    command = serializers.IntegerField(source="command_id", read_only=True, allow_null=True)

    class Meta:
        model = Dispense
        fields = [
            "id",
            "prescription",
            "device",
            "payment_method",
            "status",
            "payment",
            "pay_params",
            "command",
            "failure_reason",
            "dispensed_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_pay_params(self, dispense) -> dict[str, str]:
        intent = dispense.payment_intent
        if intent is None or intent.status != "created":
            return {}
        return {str(k): str(v) for k, v in (intent.client_params or {}).items()}


# --- appointments ---------------------------------------------------------------------------


class SlotSerializer(ModelSerializer):
    department = DepartmentSerializer(read_only=True)
    doctor = PersonSerializer(read_only=True, allow_null=True)
    start_time = ClockTimeField(read_only=True)
    end_time = ClockTimeField(read_only=True)
    remaining = serializers.IntegerField(read_only=True)

    class Meta:
        model = Slot
        fields = ["id", "department", "doctor", "date", "start_time", "end_time", "capacity", "remaining"]


class AppointmentInputSerializer(serializers.Serializer):
    slot = serializers.PrimaryKeyRelatedField(queryset=Slot.objects.select_related("department"))


class AppointmentSerializer(ModelSerializer):
    slot = SlotSerializer(read_only=True)
    acted_by = PersonSerializer(read_only=True, allow_null=True, help_text="The family member who booked (亲情账号)")

    class Meta:
        model = Appointment
        fields = ["id", "slot", "status", "acted_by", "created_at", "cancelled_at"]


# --- vitals ---------------------------------------------------------------------------------


class KioskSessionInputSerializer(serializers.Serializer):
    device = serializers.SlugField(max_length=50, help_text="The kiosk's code, from its QR code")


class KioskSessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    device = serializers.CharField(source="device.code")
    device_name = serializers.CharField(source="device.name")
    status = serializers.CharField()
    expires_at = DateTimeField()


class VitalReadingSerializer(ModelSerializer):
    unit = serializers.SerializerMethodField()
    device = serializers.CharField(source="device.name", allow_null=True, default=None)

    class Meta:
        model = VitalReading
        fields = [
            "id",
            "type",
            "systolic",
            "diastolic",
            "value",
            "unit",
            "glucose_context",
            "ecg_rhythm",
            "ecg_summary",
            "interpretation",
            "measured_at",
            "device",
        ]

    def get_unit(self, reading) -> str:
        return UNITS[reading.type]


UNITS = {
    VitalType.BLOOD_PRESSURE: "mmHg",
    VitalType.HEART_RATE: "次/分",
    VitalType.TEMPERATURE: "°C",
    VitalType.GLUCOSE: "mmol/L",
    VitalType.ECG: "次/分",
}


class TrendSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=VitalType.choices)
    unit = serializers.CharField()
    count = serializers.IntegerField()
    abnormal_count = serializers.IntegerField(help_text="Readings interpreted H or L")
    first_at = DateTimeField()
    last_at = DateTimeField()
    average = serializers.FloatField(allow_null=True, help_text="Mean value (not for blood pressure)")
    minimum = serializers.FloatField(allow_null=True)
    maximum = serializers.FloatField(allow_null=True)
    average_systolic = serializers.FloatField(allow_null=True)
    average_diastolic = serializers.FloatField(allow_null=True)
    maximum_systolic = serializers.IntegerField(allow_null=True)
    maximum_diastolic = serializers.IntegerField(allow_null=True)
    latest = VitalReadingSerializer()


class AccessLogSerializer(ModelSerializer):
    viewer = PersonSerializer(read_only=True)
    consultation = serializers.IntegerField(source="consultation_id", allow_null=True, read_only=True)

    class Meta:
        model = VitalAccessLog
        fields = ["id", "viewer", "consultation", "purpose", "records", "accessed_at"]


# --- insurance ------------------------------------------------------------------------------


class InsuranceApplicationInputSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=InsuranceApplication.Type.choices)
    details = serializers.CharField(max_length=2000)
    attachments = UploadIdsField()
    community = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        default=None,
        help_text="Only when verified in several communities",
    )


class ResubmitInputSerializer(serializers.Serializer):
    details = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    attachments = UploadIdsField()


class InsuranceReviewInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class ApplicationEventSerializer(ModelSerializer):
    # Declared as before the history moved to the platform's StatusChange (plain strings, `at`), so
    # the answer and the schema stay as they were.
    action = serializers.CharField(label="操作", max_length=20)
    from_status = serializers.CharField(label="原状态", max_length=12, required=False, allow_blank=True)
    to_status = serializers.CharField(label="新状态", max_length=12)
    note = serializers.CharField(label="意见", max_length=500, required=False, allow_blank=True)
    actor = PersonSerializer(read_only=True, allow_null=True)
    at = DateTimeField(label="时间", source="created_at", required=False)

    class Meta:
        model = InsuranceApplicationHistory
        fields = ["action", "from_status", "to_status", "note", "actor", "at"]


class InsuranceApplicationSerializer(ModelSerializer):
    community = CommunityRefSerializer(read_only=True)
    attachments = PhotoSerializer(many=True, read_only=True)
    history = ApplicationEventSerializer(many=True, read_only=True)

    class Meta:
        model = InsuranceApplication
        fields = [
            "id",
            "type",
            "status",
            "community",
            "details",
            "attachments",
            "history",
            "created_at",
            "decided_at",
        ]


class StaffInsuranceApplicationSerializer(InsuranceApplicationSerializer):
    applicant = PersonSerializer(read_only=True)

    class Meta(InsuranceApplicationSerializer.Meta):
        fields = [*InsuranceApplicationSerializer.Meta.fields, "applicant"]


# --- policies -------------------------------------------------------------------------------


class PolicySerializer(ModelSerializer):
    community = CommunityRefSerializer(read_only=True, allow_null=True)
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = PolicyArticle
        fields = ["id", "title", "summary", "community", "published_at", "is_read"]


class PolicyDetailSerializer(PolicySerializer):
    class Meta(PolicySerializer.Meta):
        fields = [*PolicySerializer.Meta.fields, "body"]


class PolicyInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    summary = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    body = serializers.CharField(max_length=20000)
    community = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="One of the communities you serve")
    min_age = serializers.IntegerField(min_value=0, max_value=150, required=False, allow_null=True, default=None)
    max_age = serializers.IntegerField(min_value=0, max_value=150, required=False, allow_null=True, default=None)
    condition = serializers.ChoiceField(
        choices=PolicyArticle._meta.get_field("condition").choices, required=False, default="", allow_blank=True
    )


class StaffPolicySerializer(ModelSerializer):
    community = CommunityRefSerializer(read_only=True, allow_null=True)
    read_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = PolicyArticle
        fields = [
            "id",
            "title",
            "summary",
            "body",
            "community",
            "min_age",
            "max_age",
            "condition",
            "status",
            "published_at",
            "read_count",
        ]
