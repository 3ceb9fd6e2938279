"""Writes of the participation app, by subject: one function per use case."""
