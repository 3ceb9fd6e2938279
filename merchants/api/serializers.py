import re

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from linli.api.fields import DateField, DateTimeField, MaskedPhoneField
from linli.api.serializers import ModelSerializer, UserRefSerializer
from linli.regions.models import Community
from linli.uploads.api.serializers import AttachedPhotosSerializer, UploadIdsField
from linli.uploads.models import Upload
from merchants.models import (
    CabinetSession,
    Category,
    Merchant,
    MerchantApplication,
    MerchantInvitation,
    Order,
    OrderHistory,
    OrderItem,
    Position,
    Product,
    Review,
)

MAX_IMAGES = 9
IMAGES_HELP = f"Ids of my uploads (purpose `product`), in display order, the first is the cover; at most {MAX_IMAGES}"
MAX_ID = 2**63 - 1  # the database's bigint: larger ids are a validation error, not an overflow
LICENCE_RE = re.compile(r"^[0-9A-Z]{15,18}$")


class CommunityBriefSerializer(ModelSerializer):
    class Meta:
        model = Community
        fields = ["id", "name", "code"]
        read_only_fields = fields


class MerchantBriefSerializer(ModelSerializer):
    class Meta:
        model = Merchant
        fields = ["id", "name"]
        read_only_fields = fields


class MarketMerchantSerializer(ModelSerializer):
    community = CommunityBriefSerializer(read_only=True)
    rating = serializers.FloatField(read_only=True, allow_null=True, help_text="Average rating, 1–5")
    review_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Merchant
        fields = [
            "id",
            "name",
            "community",
            "category",
            "description",
            "address",
            "contact_phone",
            "status",
            "rating",
            "review_count",
        ]
        read_only_fields = fields


class MyMerchantSerializer(ModelSerializer):
    community = CommunityBriefSerializer(read_only=True)

    class Meta:
        model = Merchant
        fields = [
            "id",
            "name",
            "community",
            "category",
            "licence_number",
            "description",
            "address",
            "contact_phone",
            "status",
            "created_at",
        ]
        read_only_fields = fields


class ProductSerializer(ModelSerializer):
    merchant = MerchantBriefSerializer(read_only=True)
    images = AttachedPhotosSerializer(source="image_links", help_text="In display order; the first is the cover")

    class Meta:
        model = Product
        fields = [
            "id",
            "merchant",
            "name",
            "category",
            "description",
            "price_fen",
            "unit",
            "stock",
            "images",
            "points_price",
        ]
        read_only_fields = fields


class MerchantProductSerializer(ProductSerializer):
    class Meta(ProductSerializer.Meta):
        fields = [*ProductSerializer.Meta.fields, "is_on_shelf", "created_at", "updated_at"]
        read_only_fields = fields


class ProductUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    category = serializers.ChoiceField(choices=Category.choices)
    description = serializers.CharField(allow_blank=True, max_length=2000)
    price_fen = serializers.IntegerField(min_value=1, max_value=10_000_000)
    unit = serializers.CharField(max_length=10)
    stock = serializers.IntegerField(min_value=0, max_value=1_000_000)
    images = UploadIdsField(
        purpose=Upload.Purpose.PRODUCT,
        max_length=MAX_IMAGES,
        required=True,
        default=serializers.empty,
        help_text=IMAGES_HELP,
    )
    is_on_shelf = serializers.BooleanField()
    points_price = serializers.IntegerField(
        min_value=0, max_value=10_000_000, allow_null=True, help_text="Points usable per unit (1 point = 1 fen)"
    )

    def validate(self, attrs):
        price, points = attrs.get("price_fen"), attrs.get("points_price")
        if price is not None and points is not None and points > price:
            raise serializers.ValidationError({"points_price": ["不能高于价格"]})
        return attrs


class ProductCreateSerializer(ProductUpdateSerializer):
    merchant = serializers.PrimaryKeyRelatedField(queryset=Merchant.objects.none(), required=False)
    description = serializers.CharField(allow_blank=True, max_length=2000, default="")
    category = serializers.ChoiceField(choices=Category.choices, default=Category.OTHER)
    unit = serializers.CharField(max_length=10, default="份")
    stock = serializers.IntegerField(min_value=0, max_value=1_000_000, default=0)
    images = UploadIdsField(
        purpose=Upload.Purpose.PRODUCT,
        max_length=MAX_IMAGES,
        help_text=IMAGES_HELP,
    )
    is_on_shelf = serializers.BooleanField(default=True)
    points_price = serializers.IntegerField(min_value=0, max_value=10_000_000, allow_null=True, default=None)

    def __init__(self, *args, merchants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merchant"].queryset = merchants if merchants is not None else Merchant.objects.none()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "merchant" not in attrs:
            choices = list(self.fields["merchant"].queryset[:2])
            if len(choices) != 1:
                raise serializers.ValidationError({"merchant": ["请指定店铺"]})
            attrs["merchant"] = choices[0]
        return attrs


class OrderItemSerializer(ModelSerializer):
    class Meta:
        model = OrderItem
        fields = ["product", "name", "unit", "unit_price_fen", "quantity", "subtotal_fen", "weight_g"]
        read_only_fields = fields


class OrderHistorySerializer(ModelSerializer):
    from_status = serializers.ChoiceField(
        choices=Order.Status.choices, allow_blank=True, read_only=True, help_text="Empty for the order's creation"
    )

    class Meta:
        model = OrderHistory
        fields = ["from_status", "to_status", "note", "created_at"]
        read_only_fields = fields


class ReviewBriefSerializer(ModelSerializer):
    class Meta:
        model = Review
        fields = ["rating", "content", "created_at"]
        read_only_fields = fields


_MOMENT = DateTimeField()  # formats only: never bound to a serializer, so shared safely


class OrderSerializer(ModelSerializer):
    """A resident's order: with the pickup code, which only they see."""

    merchant = MerchantBriefSerializer(read_only=True)
    cash_fen = serializers.IntegerField(read_only=True, help_text="To pay in cash (total less points)")
    device = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    payment = serializers.SerializerMethodField()
    expires_at = serializers.SerializerMethodField()
    items = OrderItemSerializer(source="item_list", many=True, read_only=True)
    history = OrderHistorySerializer(source="history_list", many=True, read_only=True)
    review = ReviewBriefSerializer(read_only=True, allow_null=True)
    acted_by = UserRefSerializer(
        read_only=True, allow_null=True, help_text="The family member who ordered for the buyer (亲情账号)"
    )

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "merchant",
            "kind",
            "status",
            "acted_by",
            "fulfilment",
            "address",
            "note",
            "total_fen",
            "points_fen",
            "cash_fen",
            "refunded_fen",
            "pickup_code",
            "device",
            "needs_review",
            "review_note",
            "payment",
            "expires_at",
            "items",
            "history",
            "review",
            "created_at",
            "paid_at",
            "completed_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"id": {"type": "integer"}, "status": {"type": "string"}},
            "description": "The order's payment (see /api/v1/payments/{id}/)",
        }
    )
    def get_payment(self, order):
        intent = order.payment_intent
        return {"id": intent.pk, "status": intent.status} if intent else None

    @extend_schema_field(DateTimeField(allow_null=True, help_text="Unpaid orders close at this time"))
    def get_expires_at(self, order):
        if order.status != Order.Status.PENDING_PAYMENT or order.payment_intent is None:
            return None
        moment = order.payment_intent.expires_at
        return _MOMENT.to_representation(moment) if moment else None


class MerchantOrderSerializer(OrderSerializer):
    """An order as the merchant sees it: who bought, not their pickup code."""

    customer = serializers.CharField(source="user.display_name", read_only=True)

    class Meta(OrderSerializer.Meta):
        fields = [f for f in OrderSerializer.Meta.fields if f != "pickup_code"] + ["customer"]
        read_only_fields = fields


class OrderLineInputSerializer(serializers.Serializer):
    product = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    quantity = serializers.IntegerField(min_value=1, max_value=99)


class OrderCreateSerializer(serializers.Serializer):
    items = OrderLineInputSerializer(many=True, min_length=1, max_length=50)
    fulfilment = serializers.ChoiceField(choices=Order.Fulfilment.choices, default=Order.Fulfilment.PICKUP)
    address = serializers.CharField(max_length=200, allow_blank=True, default="")
    note = serializers.CharField(max_length=200, allow_blank=True, default="")
    points_to_use = serializers.IntegerField(
        min_value=0, max_value=10_000_000, default=0, help_text="邻礼积分 to pay with (1 point = 1 fen)"
    )


class RiceMillOrderCreateSerializer(serializers.Serializer):
    device = serializers.SlugField(max_length=50, help_text="The code on the machine's QR label")
    weight_g = serializers.IntegerField(min_value=1, max_value=100_000)


class CabinetSessionCreateSerializer(serializers.Serializer):
    device = serializers.SlugField(max_length=50, help_text="The code on the cabinet's QR label")


class RefundInputSerializer(serializers.Serializer):
    amount_fen = serializers.IntegerField(min_value=1, max_value=100_000_000)
    reason = serializers.CharField(max_length=80)


class CompleteInputSerializer(serializers.Serializer):
    pickup_code = serializers.CharField(max_length=6, min_length=6)


class SettleLineSerializer(serializers.Serializer):
    product = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    quantity = serializers.IntegerField(min_value=0, max_value=999)


class SettleInputSerializer(serializers.Serializer):
    items = SettleLineSerializer(many=True, max_length=100)


class ReviewInputSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    content = serializers.CharField(max_length=500, allow_blank=True, default="")


class ReviewSerializer(ModelSerializer):
    merchant = MerchantBriefSerializer(read_only=True)
    reviewer = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = Review
        fields = ["id", "merchant", "reviewer", "rating", "content", "created_at"]
        read_only_fields = fields


class ApplicationSerializer(ModelSerializer):
    community = CommunityBriefSerializer(read_only=True)
    applicant = serializers.CharField(source="applicant.display_name", read_only=True)

    class Meta:
        model = MerchantApplication
        fields = [
            "id",
            "applicant",
            "community",
            "name",
            "category",
            "licence_number",
            "contact_name",
            "contact_phone",
            "description",
            "status",
            "review_note",
            "reviewed_at",
            "merchant",
            "created_at",
        ]
        read_only_fields = fields


class ApplicationCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())
    category = serializers.ChoiceField(choices=Category.choices)
    licence_number = serializers.CharField(
        max_length=40, help_text="统一社会信用代码 (18) or old licence no.; spaces dropped, letters upper-cased"
    )
    contact_name = serializers.CharField(max_length=30)
    contact_phone = serializers.RegexField(r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$")
    description = serializers.CharField(max_length=2000, allow_blank=True, default="")

    def validate_licence_number(self, value):
        # The same licence typed in lower case or with spaces is the same licence.
        value = "".join(value.split()).upper()
        if not LICENCE_RE.match(value):
            raise serializers.ValidationError("请输入 15–18 位营业执照号（数字和大写字母）")
        return value


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, allow_blank=True, default="")


class RejectSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, help_text="Why (shown to the applicant)")


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    merchant = serializers.IntegerField(source="scope_id", read_only=True)
    user = serializers.IntegerField(source="user_id", read_only=True)
    display_name = serializers.CharField(source="user.display_name", read_only=True)
    position = serializers.ChoiceField(choices=Position.choices, read_only=True)
    created_at = DateTimeField(read_only=True)


def not_owner(value):
    # One choice set for `position` everywhere in the schema; the owner comes only from a transfer.
    if value == Position.OWNER:
        raise serializers.ValidationError("店主只能通过转让店铺产生")
    return value


class MemberUpdateSerializer(serializers.Serializer):
    position = serializers.ChoiceField(
        choices=Position.choices, validators=[not_owner], help_text="manager or staff; owner only by a transfer"
    )


class OwnershipTransferSerializer(serializers.Serializer):
    member = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Membership id (from the members list) of a manager of this shop"
    )


class InvitedPhoneField(MaskedPhoneField):
    def to_representation(self, pair):
        return super().to_representation(pair) or None  # a code invitation has no phone: null, not ""


class InvitationSerializer(ModelSerializer):
    """An invitation as the shop sees it: never who holds the phone until they answer."""

    merchant = MerchantBriefSerializer(read_only=True)
    position = serializers.ChoiceField(choices=Position.choices, read_only=True)
    phone = InvitedPhoneField(help_text="Phone invitations only, masked (138****5678); null for a code")
    invited_by = serializers.CharField(source="invited_by.display_name", read_only=True, allow_null=True)
    responded_by = serializers.CharField(
        source="user.display_name", read_only=True, allow_null=True, help_text="Who accepted or declined"
    )
    code = serializers.SerializerMethodField()

    class Meta:
        model = MerchantInvitation
        fields = [
            "id",
            "merchant",
            "kind",
            "position",
            "phone",
            "status",
            "invited_by",
            "expires_at",
            "responded_by",
            "responded_at",
            "created_at",
            "code",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.CharField(
            allow_null=True, help_text="A code invitation's code, in the answer that creates it only; else null"
        )
    )
    def get_code(self, invitation):
        return getattr(invitation, "code", None)


class InvitationCreateSerializer(serializers.Serializer):
    merchant = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    position = serializers.ChoiceField(
        choices=Position.choices,
        default=Position.STAFF,
        validators=[not_owner],
        help_text="manager or staff (managers invite staff only); an owner is never invited",
    )
    phone = serializers.RegexField(
        r"^1\d{10}$", required=False, help_text="Invite this phone number; leave out to create a code to share"
    )


class MyInvitationSerializer(ModelSerializer):
    """An invitation as the invited person sees it."""

    merchant = MerchantBriefSerializer(read_only=True)
    community = CommunityBriefSerializer(source="merchant.community", read_only=True)
    position = serializers.ChoiceField(choices=Position.choices, read_only=True)
    invited_by = serializers.CharField(source="invited_by.display_name", read_only=True, allow_null=True)

    class Meta:
        model = MerchantInvitation
        fields = ["id", "merchant", "community", "position", "invited_by", "expires_at", "created_at"]
        read_only_fields = fields


class InvitationCodeSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32, help_text="The invitation code the shop shared")


class StatsQuerySerializer(serializers.Serializer):
    merchant = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    date_from = DateField(required=False)
    date_to = DateField(required=False)


class DayStatsSerializer(serializers.Serializer):
    date = DateField()
    orders = serializers.IntegerField()
    gross_fen = serializers.IntegerField()


class TopProductSerializer(serializers.Serializer):
    product = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    sales_fen = serializers.IntegerField()


class MerchantStatsSerializer(serializers.Serializer):
    merchant = serializers.IntegerField()
    date_from = DateField()
    date_to = DateField()
    orders = serializers.IntegerField(help_text="Paid orders in the period")
    gross_fen = serializers.IntegerField()
    points_fen = serializers.IntegerField()
    refunded_fen = serializers.IntegerField()
    net_fen = serializers.IntegerField()
    pending_orders = serializers.IntegerField(help_text="Paid, accepted or ready now")
    under_review = serializers.IntegerField(help_text="Cabinet orders waiting for a weight review")
    rating = serializers.FloatField(allow_null=True)
    reviews = serializers.IntegerField()
    by_day = DayStatsSerializer(many=True)
    top_products = TopProductSerializer(many=True)


class CabinetSessionSerializer(ModelSerializer):
    device = serializers.SlugRelatedField(slug_field="code", read_only=True)
    merchant = MerchantBriefSerializer(read_only=True)
    order = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = CabinetSession
        fields = ["id", "device", "merchant", "status", "order", "created_at", "closed_at"]
        read_only_fields = fields


class WeightStepSerializer(serializers.Serializer):
    weight_g = serializers.IntegerField()
    price_fen = serializers.IntegerField()


class CabinetSlotSerializer(serializers.Serializer):
    code = serializers.CharField()
    product = ProductSerializer()
    unit_weight_g = serializers.IntegerField()


class MarketDeviceSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    name = serializers.CharField()
    location = serializers.CharField()
    status = serializers.CharField()
    merchant = MerchantBriefSerializer()
    price_per_kg_fen = serializers.IntegerField(required=False, help_text="Rice mill only")
    weight_steps = WeightStepSerializer(many=True, required=False, help_text="Rice mill only")
    slots = CabinetSlotSerializer(many=True, required=False, help_text="Cabinet only")
