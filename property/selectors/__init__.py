"""Reads of the property app that need care, by subject (`fees`, `bills`, `stats`, `vehicles`)."""
