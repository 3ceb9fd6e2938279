from django.contrib import admin

from linli.console.admin import CommunityScopedAdmin, HistoryInline, apply_service
from linli.lib.masking import mask_phone
from linli.uploads.admin import photo_previews
from merchants import services
from merchants.models import (
    CabinetSession,
    CabinetSlot,
    Merchant,
    MerchantApplication,
    MerchantDevice,
    MerchantInvitation,
    MerchantInvitationHistory,
    Order,
    OrderHistory,
    OrderItem,
    Product,
    Review,
)


@admin.register(MerchantApplication)
class MerchantApplicationAdmin(CommunityScopedAdmin):
    staff_can_add = False  # shops open by approving an application; goods, devices, reviews come from their owners
    list_display = ("name", "community", "category", "applicant", "contact_phone", "status", "created_at")
    list_filter = ("status", "category", "community")
    list_select_related = ("community", "applicant")
    search_fields = ("name", "licence_number", "contact_name", "contact_phone")
    readonly_fields = ("applicant", "status", "reviewed_by", "reviewed_at", "merchant", "created_at")
    date_hierarchy = "created_at"
    actions = ["approve", "reject"]

    @admin.action(description="通过所选申请（开通店铺，申请人成为店主）")
    def approve(self, request, queryset):
        self._decide(request, queryset, services.merchant_application_approve, "通过", note="后台审核通过")

    @admin.action(description="驳回所选申请")
    def reject(self, request, queryset):
        self._decide(request, queryset, services.merchant_application_reject, "驳回", note="资料不全，请补充后重新申请")

    def _decide(self, request, queryset, service, label, note):
        apply_service(
            self,
            request,
            queryset.filter(status=MerchantApplication.Status.PENDING),
            label,
            lambda application: service(application=application, reviewer=request.user, note=note),
        )


@admin.register(Merchant)
class MerchantAdmin(CommunityScopedAdmin):
    staff_can_add = False
    list_display = ("name", "community", "category", "contact_phone", "status", "created_at")
    list_filter = ("status", "category", "community")
    list_select_related = ("community",)
    search_fields = ("name", "licence_number", "contact_phone")


class MerchantInvitationHistoryInline(HistoryInline):
    model = MerchantInvitationHistory


@admin.register(MerchantInvitation)
class MerchantInvitationAdmin(CommunityScopedAdmin):
    """Who was invited to which shop and what became of it: a record, changed only by the people
    concerned (the shop's owner or manager, the invited person) through the app."""

    staff_can_add = False
    staff_can_change = False
    community_field = "merchant__community"
    list_display = (
        "merchant",
        "kind",
        "position",
        "masked_phone",
        "status",
        "invited_by",
        "user",
        "expires_at",
        "created_at",
    )
    list_filter = ("status", "kind", "position", "merchant__community")
    list_select_related = ("merchant", "invited_by", "user")
    search_fields = ("merchant__name",)
    date_hierarchy = "created_at"
    fields = (
        "merchant",
        "kind",
        "position",
        "masked_phone",
        "status",
        "invited_by",
        "expires_at",
        "user",
        "responded_at",
        "created_at",
    )
    readonly_fields = fields
    inlines = [MerchantInvitationHistoryInline]

    @admin.display(description="手机号")
    def masked_phone(self, invitation):
        return mask_phone(invitation.phone) if invitation.phone else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Product)
class ProductAdmin(CommunityScopedAdmin):
    staff_can_add = False
    community_field = "merchant__community"
    list_display = ("name", "merchant", "category", "price_fen", "unit", "stock", "points_price", "is_on_shelf")
    list_filter = ("is_on_shelf", "category", "merchant")
    list_select_related = ("merchant",)
    search_fields = ("name", "merchant__name")
    # Stock moves with orders; stock and images are the merchant's, set through their API.
    readonly_fields = ("stock", "image_previews")

    @admin.display(description="图片")
    def image_previews(self, product):
        return photo_previews(product.image_links.select_related("upload"))


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    extra = 0
    can_delete = False
    fields = ("name", "unit_price_fen", "quantity", "subtotal_fen", "weight_g")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class OrderHistoryInline(HistoryInline):
    model = OrderHistory


@admin.register(Order)
class OrderAdmin(CommunityScopedAdmin):
    community_field = "merchant__community"
    list_display = (
        "number",
        "merchant",
        "user",
        "kind",
        "status",
        "total_fen",
        "points_fen",
        "needs_review",
        "created_at",
    )
    list_filter = ("status", "kind", "needs_review", "fulfilment", "merchant__community")
    list_select_related = ("merchant", "user")
    search_fields = ("number", "merchant__name", "user__display_name")
    date_hierarchy = "created_at"
    inlines = [OrderItemInline, OrderHistoryInline]
    readonly_fields = [f.name for f in Order._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(CommunityScopedAdmin):
    staff_can_add = False
    staff_can_change = False
    community_field = "merchant__community"
    list_display = ("merchant", "user", "rating", "content", "created_at")
    list_filter = ("rating", "merchant__community")
    date_hierarchy = "created_at"
    list_select_related = ("merchant", "user")
    search_fields = ("content", "merchant__name")


@admin.register(MerchantDevice)
class MerchantDeviceAdmin(CommunityScopedAdmin):
    staff_can_add = False
    community_field = "merchant__community"
    list_display = ("device", "merchant")
    list_select_related = ("device", "merchant")


@admin.register(CabinetSlot)
class CabinetSlotAdmin(CommunityScopedAdmin):
    staff_can_add = False
    community_field = "device__community"
    list_display = ("device", "code", "product", "unit_weight_g", "tolerance_g")
    list_select_related = ("device", "product")
    list_filter = ("device",)


@admin.register(CabinetSession)
class CabinetSessionAdmin(CommunityScopedAdmin):
    community_field = "merchant__community"
    list_display = ("device", "user", "status", "order", "created_at", "closed_at")
    list_filter = ("status", "merchant__community")
    date_hierarchy = "created_at"
    list_select_related = ("device", "user", "order")
    readonly_fields = [f.name for f in CabinetSession._meta.fields]

    def has_add_permission(self, request):
        return False
