"""The printable volunteer summary (志愿服务证明): an HTML page behind a signed link that expires.

Like property's receipts (property/receipts.py): the mini-program shows it in a <web-view>, which
cannot send the API's bearer token, so the API hands the volunteer a link carrying their user id,
signed with SECRET_KEY and refused after LINK_HOURS. Only the volunteer gets the link (their own
profile endpoint); the page shows what their profile shows, with every session, for printing.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import signing
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from events import selectors

LINK_HOURS = 24
_SALT = "events.volunteer_summary"


def token_for(user) -> str:
    return signing.dumps(user.pk, salt=_SALT, compress=True)


def summary_url(user, request=None) -> str:
    path = reverse("events-volunteer-summary", args=[token_for(user)])
    return request.build_absolute_uri(path) if request is not None else path


def link_expires_at():
    return timezone.now() + timedelta(hours=LINK_HOURS)


@never_cache
@require_GET
def volunteer_summary(request, token: str):
    try:
        pk = signing.loads(token, salt=_SALT, max_age=LINK_HOURS * 3600)
    except signing.BadSignature:  # includes SignatureExpired
        raise Http404("链接无效或已过期") from None
    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if user is None:
        raise Http404("志愿者不存在")
    context = {
        "profile": selectors.volunteer_profile(user, activities_limit=1000),
        "sessions": list(selectors.volunteer_hours_of(user).filter(hours__gt=0)),
        "printed_at": timezone.localtime(),
    }
    return render(request, "events/volunteer_summary.html", context)
