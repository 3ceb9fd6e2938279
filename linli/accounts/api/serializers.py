import re
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer

from linli.accounts import names
from linli.accounts.models import Membership, User
from linli.accounts.tokens import RefreshToken
from linli.api.errors import DomainError
from linli.api.fields import BlankableURLField, DateField
from linli.api.serializers import ModelSerializer
from linli.uploads import selectors as upload_selectors
from linli.uploads.api.serializers import MAX_ID, UploadSerializer

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
AVATAR_NOT_OURS = "头像只能使用在本平台上传的图片（先上传，再提交图片的 id）"


class CommunityRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


# The mini-program knows a household by the scope type it had before rooms moved from the residents
# app to the platform (linli.regions): the public name stays.
PUBLIC_SCOPE_TYPES = {"regions.room": "residents.room"}


class ScopeRefSerializer(serializers.Serializer):
    type = serializers.CharField(
        help_text="app_label.model of the scope object, e.g. merchants.merchant; a household is residents.room"
    )
    id = serializers.IntegerField()
    name = serializers.CharField()


class MembershipSerializer(ModelSerializer):
    role_display = serializers.CharField(source="get_role_display")
    community = CommunityRefSerializer(allow_null=True)
    street = CommunityRefSerializer(allow_null=True)
    scope = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["id", "role", "role_display", "community", "street", "scope", "position"]

    def get_scope(self, membership) -> ScopeRefSerializer(allow_null=True):
        if membership.scope_type_id is None or membership.scope is None:
            return None
        ct = ContentType.objects.get_for_id(membership.scope_type_id)  # cached in-process, no query
        kind = f"{ct.app_label}.{ct.model}"
        return {"type": PUBLIC_SCOPE_TYPES.get(kind, kind), "id": membership.scope_id, "name": str(membership.scope)}


class UserSerializer(ModelSerializer):
    """The user as /me and the login endpoints show it."""

    avatar = serializers.IntegerField(
        source="avatar_id", read_only=True, allow_null=True, help_text="Id of my upload shown as my avatar"
    )
    avatar_url = serializers.SerializerMethodField()
    age = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    communities = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "avatar",
            "avatar_url",
            "phone",
            "birth_date",
            "age",
            "roles",
            "communities",
        ]
        read_only_fields = fields

    def _memberships(self, user) -> list[Membership]:
        # Passed in by the view (one prefetching query); computed on demand otherwise.
        memberships = self.context.get("memberships")
        if memberships is None:
            from linli.accounts.selectors import memberships_of

            memberships = list(memberships_of(user))
            self.context["memberships"] = memberships
        return memberships

    @extend_schema_field(BlankableURLField())
    def get_avatar_url(self, user) -> str:
        if user.avatar_id is None:
            return ""
        return UploadSerializer(context=self.context).get_url(user.avatar)

    def get_age(self, user) -> int | None:
        return user.age_on(timezone.localdate())

    def get_roles(self, user) -> MembershipSerializer(many=True):
        return MembershipSerializer(self._memberships(user), many=True).data

    def get_communities(self, user) -> CommunityRefSerializer(many=True):
        seen = {}
        for m in self._memberships(user):
            if m.community_id and m.community_id not in seen:
                seen[m.community_id] = {"id": m.community_id, "name": m.community.name}
        return list(seen.values())


class ProfileUpdateSerializer(serializers.Serializer):
    """What a user may change about themselves. The phone number changes only with an SMS code
    (POST /api/v1/me/phone/code/, then POST /api/v1/me/phone/)."""

    display_name = serializers.CharField(
        max_length=50,
        required=False,
        allow_blank=True,
        help_text="Not a title or body the platform speaks for (系统, 管理员, 物业, 医生, …), nor a community or "
        "street name; invisible characters are removed",
    )
    avatar = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text="Id of my upload (POST /api/v1/uploads/, purpose `avatar`) to show as my avatar; null: none",
    )
    # Not a URLField: whether it is ours decides, not its syntax (a dev host such as `testserver` is ours).
    avatar_url = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text='Instead of `avatar`: the `url` of one of my uploads, or "" for none; other addresses are refused',
    )
    birth_date = DateField(required=False, allow_null=True)

    def validate_display_name(self, value):
        try:
            return names.display_name_clean(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages[0]) from None

    def validate_avatar(self, value):
        if value is None:
            return None
        try:
            return upload_selectors.own_uploads(self.context["request"].user, [value], field="avatar")[0]
        except DomainError as error:
            raise serializers.ValidationError(error.message) from None

    def validate_avatar_url(self, value):
        if value == "":
            return None
        upload = upload_selectors.own_upload_for_url(self.context["request"].user, value)
        if upload is None:
            raise serializers.ValidationError(AVATAR_NOT_OURS)
        return upload

    def validate(self, attrs):
        if "avatar_url" in attrs:
            upload = attrs.pop("avatar_url")
            if "avatar" in attrs and attrs["avatar"] != upload:
                raise serializers.ValidationError({"avatar_url": ["avatar 与 avatar_url 只需提供一个"]})
            attrs["avatar"] = upload
        return attrs

    def validate_birth_date(self, value):
        if value is not None and not (date(1900, 1, 1) <= value <= timezone.localdate()):
            raise serializers.ValidationError("出生日期不合理")
        return value


def _phone(value: str) -> str:
    if not PHONE_RE.match(value):
        raise serializers.ValidationError("请输入 11 位中国大陆手机号")
    return value


class PhoneCodeRequestSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=20, validators=[_phone], help_text="The new number, 11 digits")


class PhoneCodeSentSerializer(serializers.Serializer):
    expires_in = serializers.IntegerField(help_text="Seconds the code stays valid")
    resend_in = serializers.IntegerField(help_text="Seconds before another code may be asked for")


class PhoneChangeSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=20, validators=[_phone], help_text="The number the code was sent to")
    code = serializers.RegexField(
        r"^\d{6}$", max_length=6, error_messages={"invalid": "请输入 6 位数字验证码"}, help_text="The 6-digit SMS code"
    )


class WeChatLoginSerializer(serializers.Serializer):
    code = serializers.CharField(
        max_length=128, help_text="wx.login() code; in sandbox mode `dev-<name>` (user `wx_dev-<name>`)"
    )


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()
    user = UserSerializer()


class WeChatLoginResponseSerializer(TokenPairSerializer):
    created = serializers.BooleanField(help_text="True on the user's first login")


class PasswordTokenSerializer(TokenObtainPairSerializer):
    """Username + password → access/refresh tokens, plus the user."""

    token_class = RefreshToken

    def validate(self, attrs):
        # Well-formed: count the attempt before the password is checked (linli.accounts.lockout).
        from linli.accounts import lockout

        username = attrs.get(self.username_field)
        self.context["lockout_attempt"] = lockout.reserve(username=username, ip=self.context.get("lockout_ip"))
        data = super().validate(attrs)
        data["user"] = UserSerializer(self.user, context=self.context).data
        return data


class TokenRefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=2000)


class TokenRefreshResponseSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField(help_text="The next refresh token: the one sent is spent and cannot be used again")


class LogoutSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=2000, help_text="The refresh token of this session")
    everywhere = serializers.BooleanField(default=False, help_text="End every session of this account")


class AccountDeleteSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(help_text="Must be true: deleting the account cannot be undone")

    def validate_confirm(self, value):
        if value is not True:
            raise serializers.ValidationError("请确认注销账号（confirm 须为 true）")
        return value
