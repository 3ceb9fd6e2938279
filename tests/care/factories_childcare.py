"""A 托育点 with classes, parents with children, and applications in any state (for the childcare tests)."""

import itertools
from datetime import date

from django.utils import timezone

from care.models import ChildcareClass, Provider
from care.services import childcare as services
from tests.care.factories import make_provider
from tests.residents.factories import make_verified_resident

_seq = itertools.count(1)


def make_nursery(community, **kw) -> Provider:
    return make_provider(community, kind=Provider.Kind.CHILDCARE, **kw)


def make_class(community, *, nursery=None, capacity=10, min_age_months=12, max_age_months=24, **kw):
    n = next(_seq)
    return ChildcareClass.objects.create(
        provider=nursery or make_nursery(community),
        community=community,
        name=kw.pop("name", f"托小班{n}"),
        min_age_months=min_age_months,
        max_age_months=max_age_months,
        capacity=capacity,
        monthly_fee_fen=kw.pop("monthly_fee_fen", 180000),
        **kw,
    )


def months_ago(months: int, on: date | None = None) -> date:
    on = on or timezone.localdate()
    total = on.year * 12 + on.month - 1 - months
    return date(total // 12, total % 12 + 1, min(on.day, 28))


def make_child(community, *, parent=None, room=None, age_months=18, name=None):
    """(parent, child): a verified parent with a child `age_months` old today."""
    if parent is None:
        parent, room = make_verified_resident(community)
    n = next(_seq)
    child = services.child_register(
        parent=parent, room=room, name=name or f"宝宝{n}", birth_date=months_ago(age_months)
    )
    return parent, child


def make_application(klass, *, start_date=None, **kw):
    parent, child = make_child(klass.community, **kw)
    return services.enrolment_apply(
        parent=parent, child=child, klass=klass, start_date=start_date or timezone.localdate()
    )
