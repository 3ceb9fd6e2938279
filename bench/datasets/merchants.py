"""2,000 products of 30 active merchants (10 per community), 90 % on the shelf, and the market
orders of the residents who shop there.

Names combine a place and a product from a fixed vocabulary, so that the market search
(`search=米`, a price range) matches a realistic share of them (4 of the 18 goods have 米: about one product in five).

Every fifth resident (persona `market_buyer`) has placed orders at their community's shops over the
last 120 days (`ORDERS_PER_BUYER` each, more than a page): 1–3 items, the history of the steps
taken (placed, paid, accepted, ready, picked up), most completed, some still open, cancelled or
refunded; a third of the completed ones reviewed.
"""

import random
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from merchants.models import Category, Merchant, Order, OrderHistory, OrderItem, Product, Review

NAME = "products"
ORDER = 30
MERCHANTS_PER_COMMUNITY = 10
ORDERS_PER_BUYER = 22
BATCH = 5_000
S, A = Order.Status, Order.Action
# The steps from placing to each final status: (action, from, to).
STEPS = [
    (A.PLACE, "", S.PENDING_PAYMENT),
    (A.PAY, S.PENDING_PAYMENT, S.PAID),
    (A.ACCEPT, S.PAID, S.ACCEPTED),
    (A.READY, S.ACCEPTED, S.READY),
    (A.PICK_UP, S.READY, S.COMPLETED),
]
PATHS = {status: STEPS[: n + 1] for n, (_, _, status) in enumerate(STEPS)}
PATHS[S.CANCELLED] = [STEPS[0], (A.CANCEL, S.PENDING_PAYMENT, S.CANCELLED)]
PATHS[S.REFUNDED] = [*STEPS[:3], (A.REFUND, S.ACCEPTED, S.REFUNDED)]

PLACES = ["衢州", "柯城", "常山", "江山", "开化", "龙游", "七里", "春江月", "回龙", "斗潭"]
GOODS = [
    # name, category, unit, price range in fen
    ("新米", Category.GRAIN_OIL, "5斤袋", (2500, 6000)),
    ("糯米", Category.GRAIN_OIL, "斤", (500, 1200)),
    ("小米", Category.GRAIN_OIL, "斤", (600, 1500)),
    ("菜籽油", Category.GRAIN_OIL, "桶", (5000, 12000)),
    ("椪柑", Category.FRUIT_VEG, "斤", (300, 800)),
    ("胡柚", Category.FRUIT_VEG, "5斤装", (2000, 4000)),
    ("白菇", Category.FRUIT_VEG, "斤", (800, 1800)),
    ("番茄", Category.FRUIT_VEG, "斤", (300, 900)),
    ("发糕", Category.PASTRY, "盒", (1200, 2500)),
    ("烤饼", Category.PASTRY, "个", (300, 800)),
    ("土鸡蛋", Category.FARM, "10枚", (1200, 2500)),
    ("绿茶", Category.FARM, "250克", (6000, 30000)),
    ("洗衣液", Category.DAILY, "瓶", (1500, 4000)),
    ("家电清洗", Category.SERVICE, "次", (5000, 15000)),
    ("米粉", Category.PASTRY, "袋", (800, 2000)),
    ("腊肉", Category.FARM, "斤", (4000, 8000)),
    ("豆腐", Category.FRUIT_VEG, "块", (200, 500)),
    ("粽子", Category.PASTRY, "6个装", (2500, 5000)),
]


def generate(ctx) -> dict:
    rng = random.Random(30)
    communities = ctx.shared["communities"]
    merchants = Merchant.objects.bulk_create(
        [
            Merchant(
                name=f"{c.name}邻礼小店{j + 1}",
                community=c,
                category=GOODS[j % len(GOODS)][1],
                licence_number=f"91330802BENCH{c.pk:02d}{j:03d}",
                contact_phone=f"0570{c.pk:02d}{j:05d}",
                address=f"{c.name}邻礼中心 {j + 1} 号铺",
            )
            for c in communities
            for j in range(MERCHANTS_PER_COMMUNITY)
        ]
    )
    products = []
    for k in range(ctx.targets["products"]):
        place = PLACES[k % len(PLACES)]
        good, category, unit, (low, high) = GOODS[(k // len(PLACES)) % len(GOODS)]
        price = rng.randrange(low, high, 10)
        products.append(
            Product(
                merchant=merchants[k % len(merchants)],
                name=f"{place}{good} {k + 1}号",
                category=category,
                description=f"{place}产{good}，新鲜直供，社区自提。",
                price_fen=price,
                unit=unit,
                stock=rng.randrange(0, 200),
                is_on_shelf=k % 10 != 0,
                points_price=price // 5 if k % 3 == 0 else None,
            )
        )
    Product.objects.bulk_create(products, batch_size=1_000)
    orders = _orders(ctx, communities, merchants, products, rng)
    return {"products": len(products), "merchants": len(merchants), "market_orders": orders}


def _status(age: float, rng: random.Random) -> str:
    if age < 0.04:
        return rng.choice((S.PAID, S.ACCEPTED, S.READY, S.PENDING_PAYMENT))
    roll = rng.random()
    return S.CANCELLED if roll < 0.06 else S.REFUNDED if roll < 0.09 else S.COMPLETED


def _orders(ctx, communities, merchants, products, rng) -> int:
    residents, tokens = ctx.shared["residents"], ctx.fixtures["tokens"]["resident"]
    buyers = range(0, len(residents), 5)
    shelf = {}
    for product in products:
        if product.is_on_shelf:
            shelf.setdefault(product.merchant_id, []).append(product)
    # Shops with something on the shelf (every tenth product is off it: some shops have none).
    shops = {c.pk: [m for m in merchants if m.community_id == c.pk and m.pk in shelf] for c in communities}
    now = timezone.now()
    orders, lines = [], []
    for i in buyers:
        user, community = residents[i], communities[i % len(communities)]
        for k in range(ORDERS_PER_BUYER):
            age = k / ORDERS_PER_BUYER  # 0 = newest
            merchant = rng.choice(shops[community.pk])
            pool = shelf[merchant.pk]
            picked = rng.sample(pool, min(len(pool), rng.randrange(1, 4)))
            items = [(p, rng.randrange(1, 4)) for p in picked]
            total = sum(p.price_fen * q for p, q in items)
            status = _status(age, rng)
            placed = now - timedelta(days=120 * age, minutes=rng.randrange(600))
            paid = status not in (S.PENDING_PAYMENT, S.CANCELLED)
            order = Order(
                number=f"BENCH{len(orders) + 1:010d}",
                user=user,
                merchant=merchant,
                status=status,
                total_fen=total,
                pickup_code=f"{rng.randrange(1_000_000):06d}" if status == S.READY else "",
                refunded_fen=total if status == S.REFUNDED else 0,
                stock_released=status in (S.CANCELLED, S.REFUNDED),
                paid_at=placed + timedelta(minutes=2) if paid else None,
                completed_at=placed + timedelta(hours=5) if status == S.COMPLETED else None,
                note="请放门卫" if k % 7 == 0 else "",
            )
            orders.append(order)
            lines.append((order, items, placed))
    Order.objects.bulk_create(orders, batch_size=BATCH)
    OrderItem.objects.bulk_create(
        [
            OrderItem(
                order=order,
                product=p,
                name=p.name,
                unit=p.unit,
                unit_price_fen=p.price_fen,
                quantity=q,
                subtotal_fen=p.price_fen * q,
            )
            for order, items, _ in lines
            for p, q in items
        ],
        batch_size=BATCH,
    )
    OrderHistory.objects.bulk_create(
        [
            OrderHistory(
                order=order,
                action=action,
                from_status=before,
                to_status=after,
                actor=order.user if action in (A.PLACE, A.PAY, A.CANCEL) else None,
                created_at=placed + timedelta(minutes=30 * n),
            )
            for order, _, placed in lines
            for n, (action, before, after) in enumerate(PATHS[order.status])
        ],
        batch_size=BATCH,
    )
    Review.objects.bulk_create(
        [
            Review(order=o, user=o.user, merchant=o.merchant, rating=rng.choice((4, 5, 5)), content="新鲜，取货方便。")
            for o in orders[::3]
            if o.status == S.COMPLETED
        ],
        batch_size=BATCH,
    )
    # created_at defaults to now: put each order back at its placing time (its first history step).
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Order._meta.db_table} o SET created_at = h.created_at, updated_at = h.created_at "
            f"FROM {OrderHistory._meta.db_table} h WHERE h.order_id = o.id AND h.action = 'place' AND o.id >= %s",
            [orders[0].pk],
        )
    ctx.fixtures["tokens"]["market_buyer"] = [tokens[i] for i in buyers]
    return len(orders)
