"""FilterSets of the participation app's lists, by subject."""

ID_RANGE = {"min_value": 1, "max_value": 2**63 - 1}
