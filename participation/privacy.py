"""What 红色礼享家 keeps about a person: their party-member registrations with their history and 报到
records. Party membership is sensitive personal information (political affiliation), so erasure
deletes it outright; the counts in the stats drop accordingly. Needs and projects name staff only as
their author (`Need.created_by`): the row stays, pointing at the anonymised account."""

from django.utils import timezone

from participation.models import PartyMember, PartyReport


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def export(user) -> dict:
    members = (
        PartyMember.objects.filter(user=user)
        .select_related("community")
        .prefetch_related("reports__community")
        .order_by("created_at", "id")
    )
    return {
        "party_members": [
            {
                "community": m.community.name,
                "kind": m.kind,
                "organisation": m.organisation,
                "joined_on": m.joined_on.isoformat(),
                "workplace": m.workplace,
                "status": m.status,
                "created_at": _iso(m.created_at),
                "reports": [
                    {
                        "community": r.community.name,
                        "reported_on": r.reported_on.isoformat(),
                        "workplace": r.workplace,
                        "note": r.note,
                    }
                    for r in m.reports.all()
                ],
            }
            for m in members
        ],
    }


def anonymise(user) -> None:
    PartyReport.objects.filter(member__user=user).delete()
    PartyMember.objects.filter(user=user).delete()  # history rows go with them (CASCADE)
