from linli.regions.cache import bump_list
from linli.regions.models import Community, Street

STREETS = [
    # code, name, kind, city, district
    ("xinan", "信安街道", Street.Kind.STREET, "衢州市", "柯城区"),
    ("baiyun", "白云街道", Street.Kind.STREET, "衢州市", "柯城区"),
    ("fushan", "府山街道", Street.Kind.STREET, "绍兴市", "越城区"),
    ("dongpu", "东浦街道", Street.Kind.STREET, "绍兴市", "越城区"),
    ("taoyan", "陶堰街道", Street.Kind.STREET, "绍兴市", "越城区"),
    ("sunduan", "孙端街道", Street.Kind.STREET, "绍兴市", "越城区"),
    ("youhai", "游海街道", Street.Kind.STREET, "绍兴市", "越城区"),
    ("fusheng", "富盛镇", Street.Kind.TOWNSHIP, "绍兴市", "越城区"),
    ("gaobu", "皋埠街道", Street.Kind.STREET, "绍兴市", "越城区"),
]

COMMUNITIES = [
    # code, street code, name, address, description
    (
        "doutan",
        "xinan",
        "斗潭社区",
        "衢州市柯城区信安街道斗潭未来社区",
        "适老化改造示范社区，设幸福学堂、邻礼中心与居家养老服务中心。",
    ),
    (
        "baiyun",
        "baiyun",
        "白云社区",
        "衢州市柯城区白云街道春江月小区",
        "博爱幸福驿站提供医保到家服务，小区设智能碾米机。",
    ),
    ("huilong", "baiyun", "回龙社区", "衢州市柯城区白云街道回龙未来社区", "回龙市集、无人果蔬柜与一米菜园。"),
]


def seed(log):
    streets = {}
    for code, name, kind, city, district in STREETS:
        streets[code], _ = Street.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "city": city, "district": district}
        )
    # Demos seeded before the fix called 游海 a 乡; it is 游海街道.
    if Street.objects.filter(code="youhai", name="游海乡").update(name="游海街道", kind=Street.Kind.STREET):
        bump_list()  # a queryset update sends no signal
    for code, street_code, name, address, description in COMMUNITIES:
        Community.objects.get_or_create(
            code=code,
            defaults={"street": streets[street_code], "name": name, "address": address, "description": description},
        )
    log(f"regions: {Street.objects.count()} streets, {Community.objects.count()} communities")
