"""The community staff's console for the participation app, by subject; every list is scoped to the staff
member's communities and exports to Excel/CSV (linli/console)."""

from participation.admin import votes  # noqa: F401  (registers the admins)
