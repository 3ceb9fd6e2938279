"""Demo market: 回龙市集 (回龙社区) run by `merchant_huilong`, its products, the rice mill in 白云社区
春江月小区 and the unmanned cabinet at 回龙市集, plus a few past orders of the resident 张大爷 (dev-demo).
For the staff console every community has a shop of its own (斗潭 邻礼中心便民小铺, 白云 春江月邻里小铺)
and a month of its neighbours' orders (residents/demo.py), so the market widget and 共富度 have data.
Idempotent: everything is found by a natural key first."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from linli.accounts.demo import ensure_staff_user
from linli.accounts.models import Membership, Role, User
from linli.devices.models import Device
from linli.points.models import RedemptionItem, RedemptionKind
from linli.points.services.redemption import redemption_item_save
from linli.regions.models import Community
from merchants.models import (
    CabinetSlot,
    Category,
    Merchant,
    MerchantDevice,
    Order,
    OrderHistory,
    OrderItem,
    Product,
    Review,
)

PRODUCTS = [
    # name, category, price_fen, unit, stock, points_price, description
    ("衢州椪柑", "fruit_veg", 398, "斤", 200, 100, "柯城本地椪柑，皮薄汁多，当天采摘。"),
    ("常山胡柚", "fruit_veg", 2580, "5斤装", 80, 500, "常山胡柚，清甜微苦，润喉止咳。"),
    ("龙游发糕", "pastry", 1800, "盒", 40, None, "龙游传统米发糕，6 块装，蒸热即食。"),
    ("土鸡蛋", "farm", 1500, "10枚", 60, 500, "七里乡散养土鸡蛋。"),
    ("春江月新米", "grain_oil", 3500, "5斤袋", 100, 1000, "今年新收晚稻米，现碾现卖。"),
    ("衢州烤饼", "pastry", 500, "个", 50, None, "梅干菜肉馅，炭火现烤。"),
    ("开化龙顶", "farm", 16800, "250克", 20, None, "开化龙顶明前绿茶。"),
    ("江山白菇", "fruit_veg", 1200, "斤", 30, 200, "江山白菇，鲜嫩可口。"),
]

CABINET_PRODUCTS = [
    # slot, name, price_fen, unit, stock, unit_weight_g, tolerance_g
    ("A1", "红富士苹果（单个）", 350, "个", 40, 250, 40),
    ("A2", "本地番茄（单个）", 200, "个", 40, 180, 30),
    ("B1", "土鸡蛋（单枚）", 180, "枚", 60, 55, 10),
    ("B2", "黄瓜（单根）", 150, "根", 30, 200, 35),
]


def _product(merchant, name, category, price, unit, stock, points_price, description=""):
    product, _ = Product.objects.get_or_create(
        merchant=merchant,
        name=name,
        defaults={
            "category": category,
            "price_fen": price,
            "unit": unit,
            "stock": stock,
            "points_price": points_price,
            "description": description,
        },
    )
    return product


def _past_orders(merchant, products) -> int:
    demo = User.objects.filter(wechat_openid="dev-demo").first()
    if demo is None or Order.objects.filter(user=demo, merchant=merchant).exists():
        return 0
    now = timezone.now()
    made = 0
    for days_ago, lines, rating in [(9, [("衢州椪柑", 3), ("龙游发糕", 1)], 5), (3, [("土鸡蛋", 1)], 4)]:
        when = now - timedelta(days=days_ago)
        total = sum(products[name].price_fen * quantity for name, quantity in lines)
        order = Order.objects.create(
            number=f"MODEMO{days_ago:02d}{demo.pk:06d}",
            user=demo,
            merchant=merchant,
            status=Order.Status.COMPLETED,
            total_fen=total,
            pickup_code="246810",
            paid_at=when,
            completed_at=when + timedelta(hours=2),
        )
        Order.objects.filter(pk=order.pk).update(created_at=when, updated_at=when + timedelta(hours=2))
        OrderItem.objects.bulk_create(
            OrderItem(
                order=order,
                product=products[name],
                name=name,
                unit=products[name].unit,
                unit_price_fen=products[name].price_fen,
                quantity=quantity,
                subtotal_fen=products[name].price_fen * quantity,
            )
            for name, quantity in lines
        )
        steps = [
            ("place", "", "pending_payment", "下单"),
            ("pay", "pending_payment", "paid", "支付成功"),
            ("accept", "paid", "accepted", ""),
            ("ready", "accepted", "ready", ""),
            ("pick_up", "ready", "completed", "凭取货码取货"),
        ]
        for action, from_status, to_status, note in steps:
            OrderHistory.objects.create(
                order=order, action=action, from_status=from_status, to_status=to_status, note=note
            )
        Review.objects.create(order=order, user=demo, merchant=merchant, rating=rating, content="新鲜，老板人很好。")
        made += 1
    return made


NEIGHBOUR_SHOPS = [
    # community, name, licence, address, products (name, category, price_fen, unit)
    (
        "doutan",
        "邻礼中心便民小铺",
        "92330802MA2DTLL01X",
        "柯城区信安街道斗潭未来社区 邻礼中心 1 楼",
        [
            ("老年营养麦片", "grain_oil", 2680, "袋"),
            ("本地青菜", "fruit_veg", 300, "斤"),
            ("手工年糕", "pastry", 1200, "袋"),
        ],
    ),
    (
        "baiyun",
        "春江月邻里小铺",
        "92330802MA2BYLL02Y",
        "柯城区白云街道春江月小区 5 幢底商",
        [
            ("农家菜籽油", "grain_oil", 6800, "5升"),
            ("白云土豆", "fruit_veg", 250, "斤"),
            ("桂花糕", "pastry", 1500, "盒"),
        ],
    ),
]


def _neighbour_shop(code, name, licence, address, products) -> tuple[Merchant, list[Product]]:
    merchant, _ = Merchant.objects.get_or_create(
        community=Community.objects.get(code=code),
        name=name,
        defaults={
            "category": Category.FARM,
            "licence_number": licence,
            "contact_phone": "0570-3000000",
            "address": address,
        },
    )
    return merchant, [_product(merchant, n, c, price, unit, 500, None) for n, c, price, unit in products]


def _month_of_orders(merchant: Merchant, products: list[Product]) -> int:
    """Every other day one of the community's neighbours bought something; today's order waits to be picked up."""
    buyers = list(
        User.objects.filter(
            memberships__role=Role.RESIDENT,
            memberships__community=merchant.community,
            wechat_openid__startswith="demo-",
        ).order_by("wechat_openid")
    )
    if not buyers or Order.objects.filter(merchant=merchant, number__startswith="MOMONTH").exists():
        return 0
    now = timezone.now()
    made = 0
    for days_ago in range(28, -1, -2):
        product = products[days_ago % len(products)]
        quantity = 1 + days_ago % 3
        buyer = buyers[days_ago % len(buyers)]
        when = now - timedelta(days=days_ago, hours=1)
        status = Order.Status.COMPLETED if days_ago else Order.Status.PAID
        order = Order.objects.create(
            number=f"MOMONTH{merchant.pk:03d}{days_ago:02d}",
            user=buyer,
            merchant=merchant,
            status=status,
            total_fen=product.price_fen * quantity,
            pickup_code=f"{135790 + days_ago}",
            paid_at=when,
            completed_at=when + timedelta(hours=3) if days_ago else None,
        )
        Order.objects.filter(pk=order.pk).update(created_at=when, updated_at=when)
        OrderItem.objects.create(
            order=order,
            product=product,
            name=product.name,
            unit=product.unit,
            unit_price_fen=product.price_fen,
            quantity=quantity,
            subtotal_fen=product.price_fen * quantity,
        )
        steps = [("place", "", "pending_payment"), ("pay", "pending_payment", "paid")]
        for action, from_status, to_status in steps + ([("complete", "paid", "completed")] if days_ago else []):
            OrderHistory.objects.create(order=order, action=action, from_status=from_status, to_status=to_status)
        made += 1
    return made


def _points_voucher(community, merchant) -> None:
    """A 回龙市集 voucher in 白云's 积分兑换 catalogue (the points app names the merchant by content type)."""
    if RedemptionItem.objects.filter(community=community, name="回龙市集 10 元代金券").exists():
        return
    redemption_item_save(
        community=community,
        name="回龙市集 10 元代金券",
        kind=RedemptionKind.VOUCHER,
        description="到回龙市集购物时出示兑换码，由店主核销",
        points_price=100,
        stock=20,
        per_person_limit=1,
        merchant_type="merchants.merchant",
        merchant_id=merchant.pk,
    )


def seed(log):
    huilong = Community.objects.get(code="huilong")
    baiyun = Community.objects.get(code="baiyun")
    owner = ensure_staff_user("merchant_huilong", "回龙市集·周师傅")
    merchant, _ = Merchant.objects.get_or_create(
        community=huilong,
        name="回龙市集",
        defaults={
            "category": Category.FARM,
            "licence_number": "92330802MA2DX8HL5K",
            "contact_phone": "0570-3012345",
            "address": "柯城区白云街道回龙未来社区 回龙市集 1 号摊位",
            "description": "回龙社区的邻里市集：本地鲜果、农家土货、现碾新米。",
        },
    )
    Membership.objects.get_or_create(
        user=owner,
        role=Role.MERCHANT_MEMBER,
        scope_type=ContentType.objects.get_for_model(Merchant),
        scope_id=merchant.pk,
        defaults={"position": "owner"},
    )
    products = {row[0]: _product(merchant, *row) for row in PRODUCTS}

    mill, _ = Device.objects.get_or_create(
        code="baiyun-rice-mill-1",
        defaults={
            "kind": Device.Kind.RICE_MILL,
            "name": "春江月智能碾米机",
            "community": baiyun,
            "street": baiyun.street,
            "location": "白云社区 春江月小区 5 幢东侧便民点",
            "config": {"price_per_kg_fen": 600, "weight_steps_g": [1000, 2500, 5000, 10000]},
        },
    )
    MerchantDevice.objects.get_or_create(device=mill, defaults={"merchant": merchant})

    cabinet, _ = Device.objects.get_or_create(
        code="huilong-cabinet-1",
        defaults={
            "kind": Device.Kind.UNMANNED_CABINET,
            "name": "回龙市集无人果蔬柜",
            "community": huilong,
            "street": huilong.street,
            "location": "回龙市集东门",
            "config": {"risk_amount_fen": 20000},
        },
    )
    MerchantDevice.objects.get_or_create(device=cabinet, defaults={"merchant": merchant})
    for slot, name, price, unit, stock, unit_weight, tolerance in CABINET_PRODUCTS:
        product = _product(merchant, name, "fruit_veg", price, unit, stock, None, "无人果蔬柜自取")
        CabinetSlot.objects.get_or_create(
            device=cabinet,
            code=slot,
            defaults={"product": product, "unit_weight_g": unit_weight, "tolerance_g": tolerance},
        )
    _points_voucher(baiyun, merchant)
    past = _past_orders(merchant, products)
    _month_of_orders(merchant, list(products.values())[:4])
    for row in NEIGHBOUR_SHOPS:
        _month_of_orders(*_neighbour_shop(*row))
    log(
        f"merchants: {Merchant.objects.count()} shops, {Product.objects.count()} products, "
        f"rice mill {mill.code}, cabinet {cabinet.code} ({CabinetSlot.objects.filter(device=cabinet).count()} slots)"
        + (f", {past} past orders for dev-demo" if past else "")
    )
