"""The community staff's console for property services, by subject (`fees`, `vehicles`, `gate`); every list
is scoped to the staff member's communities and exports to Excel/CSV (linli/console)."""

from property.admin import fees, gate, vehicles  # noqa: F401  (registers the admins)
