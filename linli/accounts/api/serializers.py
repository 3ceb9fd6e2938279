import re
from datetime import date

from django.utils import timezone
from rest_framework import serializers
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer

from linli.accounts.models import Membership, User
from linli.accounts.tokens import RefreshToken
from linli.api.fields import BlankableURLField
from linli.api.prebuilt import PrebuiltFieldsMixin

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


class CommunityRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ScopeRefSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="app_label.model of the scope object, e.g. merchants.merchant")
    id = serializers.IntegerField()
    name = serializers.CharField()


class MembershipSerializer(PrebuiltFieldsMixin, serializers.ModelSerializer):
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
        ct = membership.scope_type
        return {"type": f"{ct.app_label}.{ct.model}", "id": membership.scope_id, "name": str(membership.scope)}


class UserSerializer(PrebuiltFieldsMixin, serializers.ModelSerializer):
    """The user as /me and the login endpoints show it."""

    avatar_url = BlankableURLField(read_only=True)
    age = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    communities = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
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
    display_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    avatar_url = BlankableURLField(max_length=500, required=False)
    phone = serializers.CharField(max_length=20, required=False, allow_null=True)
    birth_date = serializers.DateField(required=False, allow_null=True)

    def validate_phone(self, value):
        if value in (None, ""):
            return None
        if not PHONE_RE.match(value):
            raise serializers.ValidationError("请输入 11 位中国大陆手机号")
        return value

    def validate_birth_date(self, value):
        if value is not None and not (date(1900, 1, 1) <= value <= timezone.localdate()):
            raise serializers.ValidationError("出生日期不合理")
        return value


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
        data = super().validate(attrs)
        data["user"] = UserSerializer(self.user).data
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
