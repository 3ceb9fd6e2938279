"""The community staff's console for property services, by subject (`fees`, `vehicles`); every list
is scoped to the staff member's communities and exports to Excel/CSV (linli/console)."""

from property.admin import fees, vehicles  # noqa: F401  (registers the admins)
