"""Quality-gate registrations of the participation endpoints, by subject (see tests/quality/registry.py)."""

from tests.participation import budgets_votes

LIST_DATA = {**budgets_votes.LIST_DATA}
DETAIL_BUDGETS = {**budgets_votes.DETAIL_BUDGETS}
PRIVACY_DATA = {**budgets_votes.PRIVACY_DATA}
EXPORT_QUERIES = {**budgets_votes.EXPORT_QUERIES}
