"""The community staff's console for 红色礼享家 and 在社区当家, by subject (party members, the alliance,
votes); every list is scoped to the staff member's communities and exports to Excel/CSV (linli/console)."""

from participation.admin import alliance, party, votes  # noqa: F401  (they register their admins)
