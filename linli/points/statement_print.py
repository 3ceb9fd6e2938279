"""The printable monthly statement: an HTML page behind a signed link that expires (like property's
receipts: the mini-program's <web-view> cannot send the bearer token). The API hands the link only to
the statement's owner; the link carries the user and the month, signed with SECRET_KEY."""

from datetime import date

from django.core import signing
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from linli.accounts.models import User
from linli.points import selectors

LINK_HOURS = 24
_SALT = "points.statement"


def print_url(user, month: date, request=None) -> str:
    token = signing.dumps([user.pk, month.strftime("%Y-%m")], salt=_SALT, compress=True)
    path = reverse("points-statement-print", args=[token])
    return request.build_absolute_uri(path) if request is not None else path


@never_cache
@require_GET
def statement_print(request, token: str):
    try:
        user_id, month = signing.loads(token, salt=_SALT, max_age=LINK_HOURS * 3600)
        year, number = (int(part) for part in month.split("-"))
        day = date(year, number, 1)
    except (signing.BadSignature, ValueError, TypeError):  # BadSignature includes SignatureExpired
        raise Http404("链接无效或已过期") from None
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise Http404("链接无效或已过期")
    context = {"s": selectors.statement(user, day), "name": user.display_name or user.username}
    return render(request, "points/statement.html", context)
