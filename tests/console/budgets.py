def no_params(persona):
    return {}


# /api/v1/staff/dashboard/ for one community's staff, whatever the data:
#   2  the token's user, the staff member's communities
#   2  work orders (totals by status with on-time rate and rating; per day)       residents/dashboard.py
#   2  event registrations per day, check-ins per day                             events/dashboard.py
#   2  volunteer hours this month, this year (by community)                       events/dashboard.py
#   2  market sales per day, orders waiting                                       merchants/dashboard.py
#   3  policy pushes per day, insurance applications per day, insurance queue     health/dashboard.py
#   1  the enforcement teams of the communities' townships (none here: no stats)  enforcement/dashboard.py
#   3  households, residents, points per day;  1 devices by kind and status       linli/console/dashboard.py
#   4  alarms, care orders, visits, subsidy spent (each stops at its totals when empty)  care/dashboard.py
#   3  bills billed/collected, arrears, the gates of today's visitors              property/dashboard.py
#   1  the communities' redemption catalogue (none here: no redemptions query)    linli/points/dashboard.py
#   5  party members by kind, their service points, 报到, projects, resources   participation/dashboard.py
#   1  votes open or closed in the period (none here: no eligible counts)         participation/dashboard.py
#  14  the service index, this period and the previous one (×2): response 1, satisfaction 1,
#      participation 2 (households, attendances), prosperity 3 (households, points, local sales)
# None of it grows with the data (tests/console/test_dashboard_numbers.py checks that too).
# Warm: the numbers are shared for a minute (linli/console/selectors.py dashboard_for), so only
#   2  the token's user, the staff member's communities
DETAIL_BUDGETS = {"/api/v1/staff/dashboard/": ("staff", no_params, (46, 2))}
