from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from linli.accounts import lockout, privacy, selectors, services, tokens
from linli.accounts.api.serializers import (
    AccountDeleteSerializer,
    LogoutSerializer,
    PasswordTokenSerializer,
    PhoneChangeSerializer,
    PhoneCodeRequestSerializer,
    PhoneCodeSentSerializer,
    ProfileUpdateSerializer,
    TokenPairSerializer,
    TokenRefreshResponseSerializer,
    TokenRefreshSerializer,
    UserSerializer,
    WeChatLoginResponseSerializer,
    WeChatLoginSerializer,
)
from linli.accounts.api.throttles import PhoneCodePhoneThrottle, PhoneCodeUserThrottle
from linli.api.errors import DomainError
from linli.api.schema import ErrorSerializer
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
        user_data = UserSerializer(user, context={"request": request}).data
        return Response({**tokens.tokens_for(user), "user": user_data, "created": created})


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
        serializer = PasswordTokenSerializer(data=request.data, context={"lockout_ip": ip, "request": request})
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

    @extend_schema(
        summary="Update my profile (name, avatar, birth date)",
        description=(
            "The phone number is read-only here: it changes with an SMS code (`POST /api/v1/me/phone/code/`, "
            "then `POST /api/v1/me/phone/`). The avatar is one of my uploads (`avatar`: its id, or `avatar_url`: "
            "its url); any other address is 400. A display name that poses as staff, the system or a community "
            "is 400 on `display_name`."
        ),
        request=ProfileUpdateSerializer,
        responses=UserSerializer,
    )
    def patch(self, request):
        data = self.validated(ProfileUpdateSerializer, partial=True)
        user = services.user_update_profile(user=request.user, **data)
        return Response(self._render(user))

    def _render(self, user):
        memberships = list(selectors.memberships_of(user))
        return UserSerializer(user, context={"memberships": memberships, "request": self.request}).data


class MyPhoneCodeView(ApiView):
    throttle_classes = [*ApiView.throttle_classes, PhoneCodeUserThrottle, PhoneCodePhoneThrottle]

    @extend_schema(
        summary="Send an SMS code to the phone number I want to use",
        description=(
            "Sends a 6-digit code to `phone`, valid for 10 minutes; it replaces any code sent before. The answer "
            "is the same whether or not another account uses the number. One code per 60 seconds (429 "
            "`throttled` with `Retry-After`), and at most a few per hour for me and for the number. In sandbox "
            "mode nothing is sent: the code appears in the server log (docs/demo.md)."
        ),
        request=PhoneCodeRequestSerializer,
        responses={
            200: PhoneCodeSentSerializer,
            502: OpenApiResponse(ErrorSerializer, description="The SMS provider failed (upstream_error)"),
            503: OpenApiResponse(ErrorSerializer, description="No SMS backend is configured (sms_not_configured)"),
        },
    )
    def post(self, request):
        data = self.validated(PhoneCodeRequestSerializer)
        sent = services.phone_code_send(user=request.user, phone=data["phone"])
        return self.respond(PhoneCodeSentSerializer, sent)


class MyPhoneView(ApiView):
    @extend_schema(
        summary="Change my phone number with the SMS code sent to it",
        description=(
            "Sets `phone` when `code` is the code sent to that number for me. Every refusal is the same 400 "
            "on `code` (「验证码错误或已失效」): a wrong, expired or used code, a code for another number, and a "
            "number another account uses. Five wrong codes end the code: ask for a new one."
        ),
        request=PhoneChangeSerializer,
        responses=UserSerializer,
    )
    def post(self, request):
        data = self.validated(PhoneChangeSerializer)
        user = services.user_phone_change(user=request.user, phone=data["phone"], code=data["code"])
        memberships = list(selectors.memberships_of(user))
        return self.respond(UserSerializer, user, memberships=memberships)


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
