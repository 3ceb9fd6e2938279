"""A shop's products."""

from django.db import transaction

from linli.api.errors import DomainError
from merchants.models import Merchant, Product


@transaction.atomic
def product_create(*, merchant: Merchant, **fields) -> Product:
    return Product.objects.create(merchant=merchant, **fields)


@transaction.atomic
def product_update(*, product: Product, **fields) -> Product:
    product = Product.objects.select_for_update().get(pk=product.pk)
    price = fields.get("price_fen", product.price_fen)
    points_price = fields.get("points_price", product.points_price)
    if points_price is not None and points_price > price:
        raise DomainError("积分价不能高于价格", code="validation_error", fields={"points_price": ["不能高于价格"]})
    for name, value in fields.items():
        setattr(product, name, value)
    product.save()
    return product
