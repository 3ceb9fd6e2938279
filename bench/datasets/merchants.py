"""2,000 products of 30 active merchants (10 per community), 90 % on the shelf.

Names combine a place and a product from a fixed vocabulary, so that the market search
(`search=米`, a price range) matches a realistic share of them (4 of the 18 goods have 米: about one product in five).
"""

import random

from merchants.models import Category, Merchant, Product

NAME = "products"
ORDER = 30
MERCHANTS_PER_COMMUNITY = 10

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
    return {"products": len(products), "merchants": len(merchants)}
