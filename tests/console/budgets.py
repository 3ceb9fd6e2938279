def no_params(persona):
    return {}


# 1 token user, 1 communities; widgets: residents 3 (households, residents, points by day),
# devices 1; service index: prosperity for this and the previous period (households, points) 4.
# None of it grows with the data (tests/console/test_dashboard.py checks that too).
DETAIL_BUDGETS = {"/api/v1/staff/dashboard/": ("staff", no_params, 10)}
