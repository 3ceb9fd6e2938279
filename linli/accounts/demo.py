from datetime import date
from functools import cache

from django.conf import settings
from django.contrib.auth.hashers import make_password

from linli.accounts.models import Membership, Role, User
from linli.regions.models import Community

DEMO_PASSWORD = "demo12345"

STAFF = [
    # username, display name, role, community code
    ("staff_doutan", "斗潭社区·王芳", Role.COMMUNITY_STAFF, "doutan"),
    ("staff_baiyun", "白云社区·陈静", Role.COMMUNITY_STAFF, "baiyun"),
    ("staff_huilong", "回龙社区·徐丽", Role.COMMUNITY_STAFF, "huilong"),
    ("property_doutan", "斗潭物业·刘强", Role.PROPERTY_MANAGER, "doutan"),
    ("property_baiyun", "春江月物业·赵磊", Role.PROPERTY_MANAGER, "baiyun"),
]


@cache
def demo_password_hash() -> str:
    """The demo password hashed once per process: every demo account shares it, and each hash costs
    a fraction of a second with the production hasher."""
    return make_password(DEMO_PASSWORD)


def ensure_staff_user(username: str, display_name: str, **extra) -> User:
    """Create a password-login account once; a second run leaves it (and its password) alone."""
    user, _ = User.objects.get_or_create(
        username=username, defaults={"display_name": display_name, "password": demo_password_hash(), **extra}
    )
    return user


def seed(log):
    if settings.DEBUG and not User.objects.filter(username="admin").exists():
        # Only the embedded default gets the well-known superuser; production never does.
        User.objects.create_superuser("admin", password="admin", display_name="系统管理员")

    for username, display_name, role, community_code in STAFF:
        user = ensure_staff_user(username, display_name, is_staff=True)
        Membership.objects.get_or_create(user=user, role=role, community=Community.objects.get(code=community_code))

    User.objects.get_or_create(
        wechat_openid="dev-demo",
        defaults={"username": "wx_dev-demo", "display_name": "张大爷", "birth_date": date(1952, 3, 15)},
    )
    log(f"accounts: {User.objects.count()} users, {Membership.objects.count()} roles")
