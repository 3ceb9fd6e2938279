"""A shop's products; their images are the shop member's own uploads, in display order."""

from collections.abc import Sequence

from django.db import transaction

from linli.accounts.models import User
from linli.api.errors import DomainError
from linli.uploads.models import Upload
from linli.uploads.selectors import own_uploads
from linli.uploads.services import attachments_set
from merchants.models import Merchant, Product

MAX_IMAGES = 9


def _own_images(by: User | None, images: Sequence[Upload]) -> list[Upload]:
    """Product images are uploads of the member who sets them; anyone else's is a validation error."""
    if not images:
        return []
    if by is None:
        raise DomainError("图片不存在或不属于你", code="validation_error", fields={"images": ["图片不存在或不属于你"]})
    images = own_uploads(by, images, field="images")
    if len(images) > MAX_IMAGES:
        raise DomainError(
            f"最多 {MAX_IMAGES} 张图片", code="validation_error", fields={"images": [f"最多 {MAX_IMAGES} 张图片"]}
        )
    return images


@transaction.atomic
def product_create(*, merchant: Merchant, by: User | None = None, images: Sequence[Upload] = (), **fields) -> Product:
    """Add a product; `images` are `by`'s own uploads, in display order (the first is the cover)."""
    images = _own_images(by, images)
    product = Product.objects.create(merchant=merchant, **fields)
    attachments_set(product, "images", images)
    return product


@transaction.atomic
def product_update(
    *, product: Product, by: User | None = None, images: Sequence[Upload] | None = None, **fields
) -> Product:
    """Change a product; `images`, when given, replace the pictures (uploads of `by`, in order)."""
    if images is not None:
        images = _own_images(by, images)
    product = Product.objects.select_for_update().get(pk=product.pk)
    price = fields.get("price_fen", product.price_fen)
    points_price = fields.get("points_price", product.points_price)
    if points_price is not None and points_price > price:
        raise DomainError("积分价不能高于价格", code="validation_error", fields={"points_price": ["不能高于价格"]})
    for name, value in fields.items():
        setattr(product, name, value)
    product.save()
    if images is not None:
        attachments_set(product, "images", images)
    return product
