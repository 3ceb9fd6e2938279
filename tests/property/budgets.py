"""Quality-gate registrations of the property endpoints (see tests/quality/registry.py), by subject."""

from tests.property import gate_budgets

LIST_DATA = {**gate_budgets.LIST_DATA}
DETAIL_BUDGETS = {**gate_budgets.DETAIL_BUDGETS}
