from rest_framework import serializers

from linli.api.serializers import ModelSerializer
from linli.payments.models import PaymentContract, PaymentIntent, PaymentPart, Refund


class PaymentPartSerializer(ModelSerializer):
    class Meta:
        model = PaymentPart
        fields = ["id", "reference", "description", "amount_fen", "refunded_fen", "settlement"]
        read_only_fields = fields


class RefundSerializer(ModelSerializer):
    part = serializers.IntegerField(
        source="part_id", read_only=True, allow_null=True, help_text="The part refunded (intents with parts)"
    )

    class Meta:
        model = Refund
        fields = [
            "id",
            "out_refund_no",
            "part",
            "amount_fen",
            "cash_fen",
            "points_fen",
            "insurance_fen",
            "settled_by_app_fen",
            "reason",
            "status",
            "created_at",
            "succeeded_at",
        ]
        read_only_fields = fields


class PaymentIntentSerializer(ModelSerializer):
    cash_fen = serializers.IntegerField(
        read_only=True,
        help_text=(
            "Paid in cash through the provider (amount less points, the insurance part and the parts the app "
            "settled itself)"
        ),
    )
    parts = PaymentPartSerializer(
        many=True, read_only=True, help_text="What this payment pays, line by line (empty for a single-purpose one)"
    )
    refunds = RefundSerializer(many=True, read_only=True)

    class Meta:
        model = PaymentIntent
        fields = [
            "id",
            "out_trade_no",
            "purpose",
            "reference",
            "description",
            "amount_fen",
            "points_fen",
            "insurance_fen",
            "settled_by_app_fen",
            "cash_fen",
            "refunded_fen",
            "method",
            "provider",
            "status",
            "expires_at",
            "paid_at",
            "closed_at",
            "created_at",
            "parts",
            "refunds",
        ]
        read_only_fields = fields


class ClientParamsSerializer(serializers.Serializer):
    """What the mini-program passes to wx.requestPayment (plus which provider made it)."""

    # WeChat's own parameter names (camelCase), as wx.requestPayment takes them.
    provider = serializers.CharField()
    appId = serializers.CharField(required=False)
    timeStamp = serializers.CharField()
    nonceStr = serializers.CharField()
    package = serializers.CharField()
    signType = serializers.CharField()
    paySign = serializers.CharField()
    sandbox_complete_url = serializers.CharField(
        required=False, help_text="Sandbox only: POST here to simulate the provider's callback"
    )


class SandboxCompleteSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=["success", "fail"], default="success")


class PaymentContractSerializer(ModelSerializer):
    class Meta:
        model = PaymentContract
        fields = ["id", "provider", "status", "contract_id", "created_at", "terminated_at"]
        read_only_fields = fields


class MiniProgramJumpSerializer(serializers.Serializer):
    """Arguments of wx.navigateToMiniProgram (to WeChat Pay's Pay Score mini-program)."""

    appId = serializers.CharField()
    path = serializers.CharField()
    extraData = serializers.DictField(child=serializers.CharField())


class BusinessViewSerializer(serializers.Serializer):
    """Arguments of wx.openBusinessView."""

    businessType = serializers.CharField()
    extraData = serializers.DictField(child=serializers.CharField())


class ContractAuthorizationSerializer(serializers.Serializer):
    """Either the contract already in force (`contract`), or how to open WeChat Pay's authorisation page:
    the contract appears once WeChat Pay tells us the user accepted (PAYSCORE.USER_OPEN_SERVICE)."""

    provider = serializers.CharField()
    contract = PaymentContractSerializer(allow_null=True)
    authorization_code = serializers.CharField(allow_blank=True, help_text="Our number for this authorisation")
    apply_permissions_token = serializers.CharField(allow_blank=True, help_text="Valid for 1 hour")
    navigate_to_mini_program = MiniProgramJumpSerializer(allow_null=True)
    open_business_view = BusinessViewSerializer(allow_null=True)
