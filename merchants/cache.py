"""The market's product cards in the shared cache (linli/lib/cache.py).

The market lists the same shelves to every resident: a page of cards (product, shop, stock, images)
is built once per filters and page. What changes a card bumps their version after its commit: a
product's or shop's save or delete (admin edits and a shop closing included), its images, and every
change of stock — those are conditional `update()`s that send no signal, so the stock services call
`bump_cards()` themselves.
"""

from linli.lib import cache

from .models import Merchant, Product, ProductImage

PRODUCT_CARDS = "product_cards"


def invalidate_cards_on_write() -> None:
    """From MerchantsConfig.ready()."""
    for model in (Product, ProductImage, Merchant):
        cache.invalidate_on_write(model, PRODUCT_CARDS)


def bump_cards() -> None:
    """After a write that bypasses the models' signals (the stock's conditional updates)."""
    cache.bump(PRODUCT_CARDS)
