from django.urls import path

from linli.accounts.api import views

urlpatterns = [
    path("auth/wechat/login/", views.WeChatLoginView.as_view(), name="auth-wechat-login"),
    path("auth/token/", views.PasswordTokenView.as_view(), name="auth-token"),
    path("auth/token/refresh/", views.TokenRefreshView.as_view(), name="auth-token-refresh"),
    path("auth/logout/", views.LogoutView.as_view(), name="auth-logout"),
    path("me/", views.MeView.as_view(), name="me"),
    path("me/phone/code/", views.MyPhoneCodeView.as_view(), name="me-phone-code"),
    path("me/phone/", views.MyPhoneView.as_view(), name="me-phone"),
    path("me/export/", views.MyDataExportView.as_view(), name="me-export"),
    path("me/delete/", views.MyAccountDeleteView.as_view(), name="me-delete"),
]
