"""What the participation app keeps about a person.

红色礼享家: their party-member registrations with their history and 报到
records. Party membership is sensitive personal information (political affiliation), so erasure
deletes it outright; the counts in the stats drop accordingly. Needs and projects name staff only as
their author (`Need.created_by`): the row stays, pointing at the anonymised account.

Votes: the ballots that record that they answered (which vote, when, for which household) and, in
named votes, what they answered. Anonymous answers are not linked to anyone, so they are not theirs to
export. On erasure the ballots stay (a household that answered has answered, and the counts must not
move), detached from the person, and their free-text answers in named votes are blanked."""

from django.utils import timezone

from participation.models import Answer, Ballot, PartyMember, PartyReport, Question


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def party_export(user) -> dict:
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


def party_anonymise(user) -> None:
    PartyReport.objects.filter(member__user=user).delete()
    PartyMember.objects.filter(user=user).delete()  # history rows go with them (CASCADE)


ERASED = "（用户已注销）"


def votes_export(user) -> dict:
    ballots = (
        Ballot.objects.filter(user=user).select_related("vote", "room__building__estate").order_by("created_at", "id")
    )
    answers = (
        Answer.objects.filter(response__ballot__user=user)
        .select_related("question", "option", "response")
        .order_by("question__vote_id", "question__position", "option__position")
    )
    mine: dict = {}
    for a in answers:
        mine.setdefault(a.response.ballot_id, []).append(
            {"question": a.question.text, "answer": a.option.text if a.option_id else a.text}
        )
    return {
        "ballots": [
            {
                "vote": b.vote.title,
                "answered_at": _iso(b.created_at),
                "household": str(b.room) if b.room_id else None,
                "answers": mine.get(b.pk, []),  # empty for anonymous votes: nothing links them to the person
            }
            for b in ballots
        ]
    }


def votes_anonymise(user) -> None:
    Answer.objects.filter(response__ballot__user=user, question__kind=Question.Kind.TEXT).update(text=ERASED)
    Ballot.objects.filter(user=user).update(user=None)


def export(user) -> dict:
    return {**party_export(user), "votes": votes_export(user)}


def anonymise(user) -> None:
    party_anonymise(user)
    votes_anonymise(user)
