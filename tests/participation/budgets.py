"""Quality-gate registrations of the participation app, one module per subject (tests/quality/registry.py)."""

from tests.participation import budgets_party as party

LIST_DATA = {**party.LIST_DATA}
DETAIL_BUDGETS = {**party.DETAIL_BUDGETS}
PERSONAS = {**party.PERSONAS}
PRIVACY_DATA = {**party.PRIVACY_DATA}
EXPORT_QUERIES = {**party.EXPORT_QUERIES}
