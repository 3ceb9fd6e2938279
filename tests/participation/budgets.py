"""Quality-gate registrations of the participation app, one module per subject (tests/quality/registry.py)."""

from tests.participation import budgets_party as party
from tests.participation import budgets_votes as votes

LIST_DATA = {**party.LIST_DATA, **votes.LIST_DATA}
DETAIL_BUDGETS = {**party.DETAIL_BUDGETS, **votes.DETAIL_BUDGETS}
PERSONAS = {**party.PERSONAS}


def give_everything(user):
    return [*party.give_party(user), *votes.give_ballots(user)]


PRIVACY_DATA = {"participation": give_everything}
EXPORT_QUERIES = {"participation": party.EXPORT_QUERIES["participation"] + votes.EXPORT_QUERIES["participation"]}
