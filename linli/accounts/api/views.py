from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from linli.accounts import lockout, privacy, selectors, services, tokens
from linli.accounts.api.serializers import (
    AccountDeleteSerializer,
    LogoutSerializer,
    PasswordTokenSerializer,
    ProfileUpdateSerializer,
    TokenPairSerializer,
    TokenRefreshResponseSerializer,
    TokenRefreshSerializer,
    UserSerializer,
    WeChatLoginResponseSerializer,
    WeChatLoginSerializer,
)
from linli.api.errors import DomainError
from linli.api.views import ApiView


class InvalidCredentials(DomainError):
    status_code = status.HTTP_401_UNAUTHORIZED
    code = "invalid_credentials"
    default_message = "用户名或密码错误"


class LoginView(ApiView):
    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    def get_authenticate_header(self, request):
        # Without authentication classes DRF would turn a bad token into 403; it is a 401.
        return 'Bearer realm="api"'


class WeChatLoginView(LoginView):
    @extend_schema(
        summary="Log in with a WeChat mini-program code",
        request=WeChatLoginSerializer,
        responses={200: WeChatLoginResponseSerializer},
    )
    def post(self, request):
        code = self.validated(WeChatLoginSerializer)["code"]
        user, created = services.user_login_with_wechat(code=code)
        return Response({**tokens.tokens_for(user), "user": UserSerializer(user).data, "created": created})


class PasswordTokenView(LoginView):
    @extend_schema(
        summary="Staff login with username and password",
        request=PasswordTokenSerializer,
        responses={200: TokenPairSerializer},
    )
    def post(self, request):
        ip = lockout.client_ip(request)
        username = request.data.get("username") if isinstance(request.data, dict) else None
        username = str(username) if isinstance(username, (str, int)) else None
        lockout.check(username=username, ip=ip)
        serializer = PasswordTokenSerializer(data=request.data, context={"lockout_ip": ip})
        try:
            serializer.is_valid(raise_exception=True)
        except exceptions.AuthenticationFailed:
            serializer.context["lockout_attempt"].failed()
            raise InvalidCredentials() from None
        serializer.context["lockout_attempt"].succeeded(username=serializer.user.get_username())
        return Response(serializer.validated_data)


class TokenRefreshView(LoginView):
    throttle_scope = "refresh"

    @extend_schema(
        summary="Exchange a refresh token for a new access token and the next refresh token",
        description=(
            "Refresh tokens rotate: the one sent is spent, keep the new one. Sending a spent refresh "
            "token again is taken as theft: every token of that login stops working (401)."
        ),
        request=TokenRefreshSerializer,
        responses={200: TokenRefreshResponseSerializer},
    )
    def post(self, request):
        raw = self.validated(TokenRefreshSerializer)["refresh"]
        return Response(tokens.token_refresh(raw=raw))


class LogoutView(LoginView):
    throttle_scope = "refresh"

    @extend_schema(
        summary="Log out: end this login (or, with everywhere, every login of the account)",
        description=(
            "The refresh token stops working at once; access tokens of this login expire within their "
            "short lifetime, and with `everywhere` every access and refresh token of the account stops at once."
        ),
        request=LogoutSerializer,
        responses={204: None},
    )
    def post(self, request):
        data = self.validated(LogoutSerializer)
        tokens.token_logout(raw=data["refresh"], everywhere=data["everywhere"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(ApiView):
    @extend_schema(summary="My profile, roles and communities", responses=UserSerializer)
    def get(self, request):
        return Response(self._render(request.user))

    @extend_schema(summary="Update my profile", request=ProfileUpdateSerializer, responses=UserSerializer)
    def patch(self, request):
        serializer = ProfileUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.user_update_profile(user=request.user, **serializer.validated_data)
        return Response(self._render(user))

    def _render(self, user):
        memberships = list(selectors.memberships_of(user))
        return UserSerializer(user, context={"memberships": memberships}).data


class MyDataExportView(ApiView):
    @extend_schema(
        summary="Export all my personal data (PIPL)",
        description=(
            "Everything the platform holds about me as one JSON document: `user` (profile and roles) "
            "plus one key per app that stores personal data (e.g. `uploads`)."
        ),
        responses={200: OpenApiTypes.OBJECT},
        examples=[
            OpenApiExample(
                "A resident",
                value={
                    "user": {"id": 7, "username": "wx_dev-demo", "display_name": "张大爷", "roles": []},
                    "uploads": {"files": []},
                },
            )
        ],
    )
    def get(self, request):
        return Response(privacy.export_user_data(request.user))


class MyAccountDeleteView(ApiView):
    @extend_schema(
        summary="Delete my account (PIPL): anonymise it for good",
        description=(
            "Removes my identity (name, phone, WeChat ids, avatar, birth date), my files and my roles; "
            "orders, ledgers and cases stay, pointing at an anonymous account. Every token stops working. "
            'Cannot be undone: send {"confirm": true}.'
        ),
        request=AccountDeleteSerializer,
        responses={204: None},
    )
    def post(self, request):
        self.validated(AccountDeleteSerializer)
        privacy.erase_user(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
