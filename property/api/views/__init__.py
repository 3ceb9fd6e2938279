"""Thin HTTP layer of the property app, by subject (`bills`, `vehicles`, `gate`)."""
