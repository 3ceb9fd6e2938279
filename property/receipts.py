"""The printable receipt: an HTML page (a Django template) behind a signed link that expires.

Why a signed link rather than the API's bearer token: the mini-program shows the page in a
<web-view>, which cannot send an Authorization header. The API hands the link only to who may see
the receipt (its household's members, the payer, the community's property staff); the link itself
carries the receipt's id, signed with SECRET_KEY, and is refused after LINK_HOURS.
"""

from django.core import signing
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from property.models import Receipt

LINK_HOURS = 24
_SALT = "property.receipt"


def token_for(receipt: Receipt) -> str:
    return signing.dumps(receipt.pk, salt=_SALT, compress=True)


def print_url(receipt: Receipt, request=None) -> str:
    path = reverse("property-receipt-print", args=[token_for(receipt)])
    return request.build_absolute_uri(path) if request is not None else path


@never_cache
@require_GET
def receipt_print(request, token: str):
    try:
        pk = signing.loads(token, salt=_SALT, max_age=LINK_HOURS * 3600)
    except signing.BadSignature:  # includes SignatureExpired
        raise Http404("收据链接无效或已过期") from None
    receipt = (
        Receipt.objects.select_related("community", "recorded_by")
        .prefetch_related("bills__room__building__estate", "bills__item")
        .filter(pk=pk)
        .first()
    )
    if receipt is None:
        raise Http404("收据不存在")
    lines = [
        {"bill": bill, "yuan": _yuan(bill.amount_fen), "rate_yuan": _yuan(bill.rate_fen)}
        for bill in sorted(receipt.bills.all(), key=lambda b: (b.period, b.room_id, b.item_id, b.pk))
    ]
    context = {"receipt": receipt, "lines": lines, "total_yuan": _yuan(receipt.amount_fen)}
    return render(request, "property/receipt.html", context)


def _yuan(fen: int) -> str:
    return f"{fen / 100:.2f}"
