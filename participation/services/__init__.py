"""Writes of the participation app, by subject (`votes`)."""
