"""Demo data: in 斗潭, 王奶奶 (dev-elder, born 1941) and her son 王建军 (dev-family), bound with every
permission; and 李爷爷, a managed elder (no phone, no WeChat) registered by staff_doutan with 王建军 as
his guardian. The platform seeds before the scenarios: residents' demo verifies 王奶奶's household
and gives her a repair; health's gives her a week of kiosk vitals. Idempotent."""

from datetime import date

from linli.accounts.models import User
from linli.family import services
from linli.family.models import PERMISSION_FIELDS, FamilyBinding, ManagedElder
from linli.regions.models import Community

ALL = dict.fromkeys(PERMISSION_FIELDS, True)
SON_PHONE = "13905700005"


def _user(openid: str, display_name: str, **extra) -> User:
    user, _ = User.objects.get_or_create(
        wechat_openid=openid, defaults={"username": f"wx_{openid}", "display_name": display_name, **extra}
    )
    return user


def seed(log):
    elder = _user("dev-elder", "王奶奶", birth_date=date(1941, 5, 12))
    son = _user("dev-family", "王建军", birth_date=date(1968, 9, 3), phone=SON_PHONE)
    live = FamilyBinding.objects.filter(principal=elder, member=son, status__in=FamilyBinding.LIVE).exists()
    if not live:
        binding = services.family_binding_request(by=son, side="member", user_ref=elder.pk, relation="儿子")
        services.family_binding_accept(binding=binding, by=elder, permissions=ALL)

    doutan = Community.objects.get(code="doutan")
    if not ManagedElder.objects.filter(community=doutan, user__display_name="李爷爷").exists():
        services.managed_elder_create(
            staff=User.objects.get(username="staff_doutan"),
            community_id=doutan.pk,
            display_name="李爷爷",
            birth_date=date(1936, 11, 20),
            guardian_phone=SON_PHONE,
            relation="邻居（受托照看）",
            note="独居，无智能手机；由王建军代为办理",
        )
    log(f"family: {FamilyBinding.objects.count()} bindings, {ManagedElder.objects.count()} managed elders")
