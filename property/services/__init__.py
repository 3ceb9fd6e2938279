"""Writes of the property app with business rules, by subject (`gate`: visitors, the gate and plate reads)."""
