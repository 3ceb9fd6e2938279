"""Quality-gate registrations for care (see tests/quality/registry.py). 一键呼叫 and 托育 live in
budgets_alarms_childcare.py; home care adds its own here."""

from tests.care import budgets_alarms_childcare as alarms_childcare

LIST_DATA = {**alarms_childcare.LIST_DATA}
DETAIL_BUDGETS = {**alarms_childcare.DETAIL_BUDGETS}
PRIVACY_DATA = {"care": alarms_childcare.give_alarms_and_children}
# care/privacy.py export(user): 3 home care (orders, entries, visits) + 2 (orders served, visits made)
# + 4 (alarms, children, enrolments, bills)
EXPORT_QUERIES = {"care": 9}
