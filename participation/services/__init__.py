"""Writes of the participation app, by subject (party, alliance, votes): one function per use case."""
