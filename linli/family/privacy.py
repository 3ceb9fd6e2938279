"""Family bindings and the 代办记录: exported for both sides; on erasure every live binding ends
(nobody may act for, or be alerted about, an erased person) while the history and the acts stay,
pointing at the anonymised user, because the other side relies on them."""

from django.db.models import Q
from django.utils import timezone

from linli.family.models import FamilyAct, FamilyBinding, ManagedElder


def _at(value):
    return timezone.localtime(value).isoformat() if value else None


def export(user) -> dict:
    bindings = FamilyBinding.objects.filter(Q(principal=user) | Q(member=user)).order_by("created_at", "id")
    acts = FamilyAct.objects.filter(Q(actor=user) | Q(beneficiary=user)).order_by("created_at", "id")
    return {
        "bindings": [
            {
                "side": b.side_of(user.pk),
                "principal": b.principal_id,
                "member": b.member_id,
                "relation": b.relation,
                "status": b.status,
                "permissions": b.permissions(),
                "is_guardian": b.is_guardian,
                "created_at": _at(b.created_at),
                "ended_at": _at(b.ended_at),
            }
            for b in bindings
        ],
        "acts": [
            {
                "actor": a.actor_id,
                "beneficiary": a.beneficiary_id,
                "kind": a.kind,
                "summary": a.summary,
                "created_at": _at(a.created_at),
            }
            for a in acts
        ],
        "managed_elder": ManagedElder.objects.filter(user=user).exists(),
    }


def anonymise(user) -> None:
    now = timezone.now()
    live = FamilyBinding.objects.filter(Q(principal=user) | Q(member=user))
    live.filter(status=FamilyBinding.Status.ACCEPTED).update(status=FamilyBinding.Status.ENDED, ended_at=now)
    live.filter(status=FamilyBinding.Status.PENDING).update(status=FamilyBinding.Status.CANCELLED)
    ManagedElder.objects.filter(user=user).update(note="")
